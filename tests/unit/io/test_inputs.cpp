// The contract's input loaders: values, every check, collected errors, thread independence.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "../support/temp_dir.hpp"
#include "agglo/io/inputs.hpp"

using namespace agglo;
using namespace agglo::io;

namespace {
Error catch_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error thrown";
  return Error(ErrorKind::internal, ErrorCode::unknown, "none");
}
}  // namespace

TEST(Inputs, EmploymentValuesAndExtraColumnsIgnored) {
  test_support::TempDir d;
  const auto f = d.write("e.csv", "region,industry,note,employment,year\nR1,I1,x,10,2020\nR1,I2,y,5.5,2020\nR2,I1,z,0,2020\n");
  InputReport rep;
  const auto p = load_employment(f, {}, &rep);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.cols.size(), 2u);
  EXPECT_EQ(p.rows.name(p.row[1]), "R1");
  EXPECT_EQ(p.cols.name(p.col[1]), "I2");
  EXPECT_DOUBLE_EQ(p.value[1], 5.5);
  EXPECT_EQ(p.year, (std::vector<std::int32_t>{2020, 2020, 2020}));
  EXPECT_TRUE(rep.ok());
}

TEST(Inputs, MissingColumnNamesWhatIsThere) {
  test_support::TempDir d;
  const auto f = d.write("e.csv", "region,industry,jobs\nR1,I1,3\n");
  const auto e = catch_error([&] { load_employment(f); });
  EXPECT_EQ(e.code(), ErrorCode::missing_column);
  EXPECT_EQ(e.kind(), ErrorKind::input);
  EXPECT_NE(std::string(e.what()).find("employment"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("region,industry,jobs"), std::string::npos);
}

TEST(Inputs, StrictModeThrowsTheFirstErrorInFileOrder) {
  test_support::TempDir d;
  const auto f = d.write("e.csv", "region,industry,employment\nR1,I1,3\nR1,I2,abc\nR2,I1,-4\n");
  const auto e = catch_error([&] { load_employment(f); });
  EXPECT_EQ(e.code(), ErrorCode::wrong_type);
  EXPECT_EQ(e.where().line, 3u);
  EXPECT_EQ(e.where().column, 3u);
  EXPECT_EQ(e.where().column_name, "employment");
  EXPECT_NE(std::string(e.what()).find("'abc'"), std::string::npos);
}

TEST(Inputs, CollectModeReportsEveryProblem) {
  test_support::TempDir d;
  const auto f = d.write("e.csv",
                         "region,industry,employment\nR1,I1,3\nR1,I2,abc\nR2,I1,-4\nR2,I2,nan\nR2,I3,1,9\nR1,I1,2\n");
  ReadOptions ro;
  ro.collect = true;
  InputReport rep;
  load_employment(f, ro, &rep);
  ASSERT_EQ(rep.errors.size(), 5u);
  EXPECT_EQ(rep.errors[0].code(), ErrorCode::wrong_type);
  EXPECT_EQ(rep.errors[0].where().line, 3u);
  EXPECT_EQ(rep.errors[1].code(), ErrorCode::negative_value);
  EXPECT_EQ(rep.errors[2].code(), ErrorCode::non_finite);
  EXPECT_EQ(rep.errors[3].code(), ErrorCode::ragged_row);
  EXPECT_EQ(rep.errors[3].where().line, 6u);
  EXPECT_EQ(rep.errors[4].code(), ErrorCode::duplicate_row);
  EXPECT_EQ(rep.errors[4].where().line, 7u);
}

TEST(Inputs, EstablishmentsCoordinatesAndDuplicates) {
  test_support::TempDir d;
  const auto ok = d.write("ok.csv", "id,industry,lon,lat,employees\na,X,-73.5,41.2,10\nb,Y,2.35,48.85,3\n");
  const auto e = load_establishments(ok);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_TRUE(e.crs.geographic);
  EXPECT_DOUBLE_EQ(e.x[1], 2.35);
  EXPECT_DOUBLE_EQ(e.employees[0], 10);

  const auto bad_lon = d.write("lon.csv", "id,industry,lon,lat\na,X,200,41\n");
  EXPECT_EQ(catch_error([&] { load_establishments(bad_lon); }).code(), ErrorCode::coordinate_out_of_range);
  const auto dup = d.write("dup.csv", "id,industry,lon,lat\na,X,1,1\nb,X,1,1\na,Y,2,2\n");
  const auto err = catch_error([&] { load_establishments(dup); });
  EXPECT_EQ(err.code(), ErrorCode::duplicate_id);
  EXPECT_EQ(err.where().line, 4u);
  const auto none = d.write("none.csv", "id,industry,easting\na,X,1\n");
  EXPECT_EQ(catch_error([&] { load_establishments(none); }).code(), ErrorCode::missing_column);
}

TEST(Inputs, ProjectedCoordinatesNeedAKnownCrs) {
  test_support::TempDir d;
  const auto f = d.write("xy.csv", "id,industry,x,y\na,X,500000,4000000\n");
  const auto e = load_establishments(f, "EPSG:5070");
  EXPECT_FALSE(e.crs.geographic);
  EXPECT_EQ(e.crs.linear_unit, "m");
  EXPECT_EQ(catch_error([&] { load_establishments(f, "EPSG:999999"); }).code(), ErrorCode::unknown_crs);
}

TEST(Inputs, NetworkChecksReferences) {
  test_support::TempDir d;
  const auto nodes = d.write("n.csv", "id,type,group\nA,firm,1\nB,firm,1\nC,university,2\n");
  const auto edges = d.write("e.csv", "source,target,weight\nA,B,1\nB,C,2\n");
  const auto g = load_network(nodes, edges, true);
  EXPECT_EQ(g.nodes(), 3u);
  EXPECT_EQ(g.edges(), 2u);
  EXPECT_EQ(g.group[2], "2");
  EXPECT_DOUBLE_EQ(g.weight[1], 2.0);
  const auto bad = d.write("bad.csv", "source,target\nA,Z\n");
  const auto e = catch_error([&] { load_network(nodes, bad, false); });
  EXPECT_EQ(e.code(), ErrorCode::unknown_reference);
  EXPECT_NE(std::string(e.what()).find("'Z'"), std::string::npos);
}

TEST(Inputs, SurveyItems) {
  test_support::TempDir d;
  const auto f = d.write("s.csv", "id,customers,suppliers,capital\n1,Regional,national,\n2,international,regional,regional\n");
  const auto s = load_survey(f);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.items[0][0], data::FactorLocation::regional);
  EXPECT_EQ(s.items[1][0], data::FactorLocation::national);
  EXPECT_EQ(s.items[5][0], data::FactorLocation::not_applicable);
  EXPECT_EQ(s.items[2][1], data::FactorLocation::not_applicable);  // column absent
  const auto bad = d.write("b.csv", "id,customers\n1,local\n");
  EXPECT_EQ(catch_error([&] { load_survey(bad); }).code(), ErrorCode::invalid_value);
}

TEST(Inputs, ResultDoesNotDependOnThreadsOrBlockSize) {
  std::string text = "region,industry,employment\n";
  for (int i = 0; i < 20000; ++i) text += "R" + std::to_string(i % 97) + ",I" + std::to_string(i % 1013) + "_" + std::to_string(i / 97) + "," + std::to_string(i % 13) + "\n";
  test_support::TempDir d;
  const auto f = d.write("big.csv", text);
  ReadOptions one, many;
  many.csv.block_size = 4096;
  data::Panel a, b;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    a = load_employment(f, one);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    b = load_employment(f, many);
  }
  ASSERT_EQ(a.size(), 20000u);
  EXPECT_EQ(a.row, b.row);
  EXPECT_EQ(a.col, b.col);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.cols.name(a.col[19999]), b.cols.name(b.col[19999]));
}

TEST(Inputs, RegionHierarchyParentsAndCycles) {
  test_support::TempDir d;
  // The child comes before its parent: allowed.
  const auto ok = d.write("r.csv", "code,name,level,parent\n06037,Los Angeles,county,57097\n57097,LA EA,economic_area,\n");
  InputReport rep;
  const auto r = load_regions(ok, {}, &rep);
  ASSERT_EQ(r.size(), 2u);
  const auto la = r.find("06037");
  EXPECT_EQ(r[la].level, data::RegionLevel::county);
  EXPECT_EQ(r[r[la].parent].code, "57097");
  EXPECT_FALSE(r[r.find("57097")].parent.valid());
  const auto orphan = d.write("o.csv", "code,parent\nA,B\n");
  EXPECT_EQ(catch_error([&] { load_regions(orphan); }).code(), ErrorCode::unknown_reference);
  const auto cycle = d.write("c.csv", "code,parent\nA,B\nB,A\n");
  EXPECT_EQ(catch_error([&] { load_regions(cycle); }).code(), ErrorCode::invalid_value);
  const auto level = d.write("l.csv", "code,level\nA,galaxy\n");
  EXPECT_EQ(catch_error([&] { load_regions(level); }).code(), ErrorCode::invalid_value);
}

TEST(Inputs, IndustryClassification) {
  test_support::TempDir d;
  const auto f = d.write("i.csv", "code,title,kind,parent\n33,Manufacturing,,\n336411,Aircraft,traded,33\n722511,Restaurants,local,\n");
  const auto c = load_industries(f);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[c.find("336411")].kind, data::IndustryKind::traded);
  EXPECT_EQ(c[c.find("722511")].kind, data::IndustryKind::local);
  const auto bad = d.write("b.csv", "code,kind\n1,tradable\n");
  EXPECT_EQ(catch_error([&] { load_industries(bad); }).code(), ErrorCode::invalid_value);
}

TEST(Inputs, OptionalFirmAttributes) {
  test_support::TempDir d;
  const auto f = d.write("a.csv", "id,industry,lon,lat,firm,sales,rnd,founded,foreign\n"
                                  "a,X,1,1,F1,100,,1998,1\nb,X,1,1,F1,,5,,0\nc,Y,2,2,F2,7,0,2001,\n");
  const auto e = load_establishments(f);
  ASSERT_EQ(e.firm.size(), 3u);
  EXPECT_EQ(e.firm[0], e.firm[1]);
  EXPECT_EQ(e.firm_codes.name(e.firm[2]), "F2");
  EXPECT_DOUBLE_EQ(e.sales[0], 100);
  EXPECT_TRUE(std::isnan(e.sales[1]));  // empty cell: unknown
  EXPECT_DOUBLE_EQ(e.rnd[1], 5);
  EXPECT_DOUBLE_EQ(e.founded[2], 2001);
  EXPECT_TRUE(e.patents.empty());       // column absent
  const auto bad = d.write("b.csv", "id,industry,lon,lat,foreign\na,X,1,1,2\n");
  EXPECT_EQ(catch_error([&] { load_establishments(bad); }).code(), ErrorCode::invalid_value);
}

TEST(Inputs, ManyUniqueIdsAndOneDuplicate) {
  // The id column is checked by sorting hashes; ids stay findable (lazy index).
  std::string text = "id,industry,lon,lat\n";
  for (int i = 0; i < 5000; ++i) text += "plant-" + std::to_string(i) + ",X,1,1\n";
  test_support::TempDir d;
  const auto e = load_establishments(d.write("u.csv", text));
  ASSERT_EQ(e.ids.size(), 5000u);
  EXPECT_EQ(e.ids.name(4321), "plant-4321");
  EXPECT_EQ(e.ids.find("plant-77"), std::optional<std::uint32_t>(77u));
  EXPECT_FALSE(e.ids.find("plant-5000").has_value());
  const auto err = catch_error([&] { load_establishments(d.write("d.csv", text + "plant-17,Y,2,2\n")); });
  EXPECT_EQ(err.code(), ErrorCode::duplicate_id);
  EXPECT_EQ(err.where().line, 5002u);
  EXPECT_NE(std::string(err.what()).find("first on line 19"), std::string::npos) << err.what();
}
