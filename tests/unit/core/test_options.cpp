#include <gtest/gtest.h>

#include "agglo/core/options.hpp"

using namespace agglo;
using namespace agglo::core;

namespace {
struct Demo {
  std::string mode = "fast";
  std::int64_t count = 3;
  double eps = 0.5;
  bool flag = false;
  std::vector<std::string> list;
  std::string path;
  static void describe(OptionSchema<Demo>& s) {
    s.add("mode", &Demo::mode, "how").choices({"fast", "exact"});
    s.add("count", &Demo::count, "how many").min(1).max(10);
    s.add("eps", &Demo::eps, "radius").min(0);
    s.add("flag", &Demo::flag, "a switch");
    s.add("list", &Demo::list, "names");
    s.add("path", &Demo::path, "input").path().required();
  }
};

OptionSchema<Demo> schema() {
  OptionSchema<Demo> s;
  Demo::describe(s);
  return s;
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    return e.code();
  }
  return ErrorCode::unknown;
}
}  // namespace

TEST(Options, DefaultsAndDescription) {
  const auto s = schema();
  const auto specs = s.specs();
  ASSERT_EQ(specs.size(), 6u);
  EXPECT_EQ(specs[0].default_text, "fast");
  EXPECT_EQ(specs[1].type, OptionType::integer);
  EXPECT_EQ(specs[1].default_text, "3");
  EXPECT_EQ(specs[2].default_text, "0.5");
  EXPECT_EQ(specs[3].type, OptionType::boolean);
  EXPECT_EQ(specs[4].type, OptionType::list);
  EXPECT_TRUE(specs[5].required);
  EXPECT_EQ(specs[5].type, OptionType::path);
  const auto d = s.parse({{"path", "x.csv"}});
  EXPECT_EQ(d.mode, "fast");
  EXPECT_EQ(d.count, 3);
}

TEST(Options, ParsesEveryType) {
  const auto d = schema().parse({{"mode", "exact"}, {"count", "10"}, {"eps", "1e-3"}, {"flag", "true"},
                                 {"list", "a,b,,c"}, {"path", "p"}});
  EXPECT_EQ(d.mode, "exact");
  EXPECT_EQ(d.count, 10);
  EXPECT_DOUBLE_EQ(d.eps, 1e-3);
  EXPECT_TRUE(d.flag);
  EXPECT_EQ(d.list, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Options, RejectsBadValuesWithUsageErrors) {
  const auto s = schema();
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"mode", "slow"}}); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"count", "11"}}); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"count", "2.5"}}); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"eps", "-1"}}); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"eps", "nan"}}); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"flag", "maybe"}}); }), ErrorCode::invalid_option_value);
  EXPECT_EQ(code_of([&] { s.parse({{"path", "p"}, {"colour", "red"}}); }), ErrorCode::unknown_option);
  EXPECT_EQ(code_of([&] { s.parse({}); }), ErrorCode::missing_option);
}

TEST(Options, MessageNamesTheOptionAndTheRange) {
  try {
    schema().parse({{"path", "p"}, {"count", "0"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--count must be between 1 and 10, got 0"), std::string::npos) << e.what();
  }
}

#include "agglo/core/ids.hpp"

TEST(Interner, DenseIdsEmptyAndLongStringsCopies) {
  Interner in;
  EXPECT_EQ(in.intern(""), 0u);
  EXPECT_EQ(in.intern("a"), 1u);
  const std::string longer(100000, 'x');  // larger than an arena block
  EXPECT_EQ(in.intern(longer), 2u);
  EXPECT_EQ(in.intern("a"), 1u);
  EXPECT_EQ(in.intern(""), 0u);
  for (int i = 0; i < 100000; ++i) in.intern("code" + std::to_string(i));  // many blocks
  EXPECT_EQ(in.size(), 100003u);
  EXPECT_EQ(in.name(2), longer);
  EXPECT_EQ(in.name(3 + 4567), "code4567");
  const Interner copy = in;  // copies re-point their keys into their own arena
  EXPECT_EQ(copy.find("code99999"), std::optional<std::uint32_t>(100002u));
  EXPECT_EQ(copy.name(0), "");
  EXPECT_FALSE(copy.find("nope").has_value());
}
