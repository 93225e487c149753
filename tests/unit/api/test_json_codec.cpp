// The registry's JSON codec (api/json_codec.hpp): a JSON request becomes the same ParamMap a
// command line gives, and is refused with the same codes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agglo/api/json_codec.hpp"

namespace agglo::api {
namespace {

const Operation& op(const char* name) {
  const auto* o = Registry::global().find(name);
  EXPECT_NE(o, nullptr);
  return *o;
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::unknown;
}

TEST(JsonCodec, OptionsBecomeCommandLineText) {
  const auto p = params_from_json(op("opportunities"),
                                  R"({"exports": "e.csv", "location": "col", "top": 25})");
  EXPECT_EQ(p.at("exports"), "e.csv");
  EXPECT_EQ(p.at("top"), "25");
  EXPECT_EQ(p.at("location"), "col");
  const auto q = params_from_json(op("network"), R"({"nodes": "n.csv", "edges": "e.csv", "directed": true})");
  EXPECT_EQ(q.at("directed"), "true");
  const auto r = params_from_json(op("network"), R"({"nodes": "n.csv", "edges": "e.csv", "directed": false})");
  EXPECT_EQ(r.count("directed"), 0u);  // false drops the flag, as leaving it off the command line
}

TEST(JsonCodec, RefusalsCarryTheEngineCodes) {
  EXPECT_EQ(code_of([] { params_from_json(op("network"), R"({"nodes": "n.csv", "edges": "e.csv", "bogus": 1})"); }),
            ErrorCode::unknown_option);
  EXPECT_EQ(code_of([] { params_from_json(op("opportunities"), R"({"exports": "e.csv"})"); }), ErrorCode::missing_option);
  EXPECT_EQ(code_of([] { params_from_json(op("opportunities"), R"({"exports": "e", "location": "x", "top": "many"})"); }),
            ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([] { params_from_json(op("network"), R"([1, 2])"); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([] { params_from_json(op("network"), R"({"nodes": {"a": 1}, "edges": "e"})"); }),
            ErrorCode::invalid_option_value);
}

TEST(JsonCodec, SchemaListsEveryOperationButTheHidden) {
  const auto s = nlohmann::json::parse(schema_json(Registry::global(), {"demo"}));
  std::size_t n = 0;
  for (const auto& o : s["operations"]) {
    EXPECT_NE(o["name"], "demo");
    ++n;
  }
  EXPECT_EQ(n + 1, Registry::global().all().size());
}

TEST(JsonCodec, ResultTablesAndReproduction) {
  Result r;
  data::Table t;
  t.add_text("region", {"a", "b"});
  t.add_real("lq", {1.5, std::nan("")});
  r.tables.emplace_back("main", std::move(t));
  r.summary_json = R"({"n": 2})";
  const auto j = nlohmann::json::parse(result_json(r));
  EXPECT_EQ(j["tables"]["main"]["columns"][1], "lq");
  EXPECT_EQ(j["tables"]["main"]["rows"][0][1], 1.5);
  EXPECT_TRUE(j["tables"]["main"]["rows"][1][1].is_null());
  EXPECT_EQ(j["summary"]["n"], 2);
  EXPECT_EQ(command_line("survey model", {{"outcome", "y"}, {"robust", "true"}, {"x", "a b"}}),
            "agglo survey model --outcome y --robust --x 'a b'");
  EXPECT_EQ(python_call("cluster-map", {{"employment", "e.csv"}}), "agglo.cluster_map(employment=\"e.csv\")");
}

}  // namespace
}  // namespace agglo::api
