// The streaming CSV reader: RFC 4180 cases, line numbers, block boundaries, UTF-8.
#include <gtest/gtest.h>

#include "../support/temp_dir.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/io/csv_reader.hpp"

using namespace agglo;
using namespace agglo::io;

namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;
};

Parsed parse_file(const std::string& path, std::size_t block_size = 4u << 20) {
  CsvOptions o;
  o.block_size = block_size;
  CsvSource src(path, o);
  Parsed p;
  p.header = src.header();
  CsvBlock b;
  while (src.next_block(b)) {
    RecordCursor cur(b, ',', path);
    while (cur.next()) {
      std::vector<std::string> row;
      for (auto f : cur.fields()) row.emplace_back(f);
      p.rows.push_back(row);
      p.lines.push_back(cur.line());
    }
  }
  return p;
}

ErrorCode error_of(const std::function<void()>& f, Location* where = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (where) *where = e.where();
    return e.code();
  }
  return ErrorCode::unknown;
}

}  // namespace

TEST(CsvReader, QuotedFieldsEscapesAndEmbeddedNewlines) {
  test_support::TempDir d;
  const auto f = d.write("a.csv", "id,name,note\n1,\"Smith, J\",\"said \"\"hi\"\"\"\n2,plain,\"two\nlines\"\n3,,\n");
  const auto p = parse_file(f);
  ASSERT_EQ(p.header, (std::vector<std::string>{"id", "name", "note"}));
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0][1], "Smith, J");
  EXPECT_EQ(p.rows[0][2], "said \"hi\"");
  EXPECT_EQ(p.rows[1][2], "two\nlines");
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"3", "", ""}));
  // Line numbers count physical lines: row 3 starts on line 5 because row 2 spans two lines.
  EXPECT_EQ(p.lines, (std::vector<std::uint64_t>{2, 3, 5}));
}

TEST(CsvReader, CrlfBomBlankLinesAndNoFinalNewline) {
  test_support::TempDir d;
  const auto f = d.write("b.csv", "\xEF\xBB\xBFregion,value\r\nA,1\r\n\r\nB,\"2\"\r\nC,3");
  const auto p = parse_file(f);
  ASSERT_EQ(p.header, (std::vector<std::string>{"region", "value"}));
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (std::vector<std::string>{"A", "1"}));
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"B", "2"}));
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"C", "3"}));
  EXPECT_EQ(p.lines, (std::vector<std::uint64_t>{2, 4, 5}));
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineWhereItOpens) {
  test_support::TempDir d;
  const auto f = d.write("c.csv", "a,b\n1,2\n3,\"open\n4,5\n");
  Location where;
  EXPECT_EQ(error_of([&] { parse_file(f); }, &where), ErrorCode::unterminated_quote);
  EXPECT_EQ(where.line, 3u);
  EXPECT_EQ(where.file, f);
}

TEST(CsvReader, EmptyFileAndMissingFile) {
  test_support::TempDir d;
  const auto f = d.write("empty.csv", "");
  EXPECT_EQ(error_of([&] { parse_file(f); }), ErrorCode::empty_input);
  try {
    parse_file(d.file("nope.csv"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::file_not_found);
    EXPECT_EQ(e.kind(), ErrorKind::io);
  }
}

TEST(CsvReader, BlockBoundariesDoNotChangeTheRecords) {
  // Agreement test: random CSV text with quotes, delimiters and newlines inside fields, parsed
  // with tiny blocks (many boundaries, some inside quoted fields) and with one big block.
  core::Stream rng(11, 1);
  std::string text = "x,y,z\n";
  const char* pieces[] = {"a", "bb", "\"q,uo\"\"ted\"", "\"multi\nline\"", "", "12.5", "\"\""};
  for (int r = 0; r < 3000; ++r) {
    for (int c = 0; c < 3; ++c) {
      if (c) text += ',';
      text += pieces[rng.below(7)];
    }
    text += rng.bernoulli(0.2) ? "\r\n" : "\n";
  }
  test_support::TempDir d;
  const auto f = d.write("r.csv", text);
  const auto big = parse_file(f);
  const auto small = parse_file(f, 64);  // grows past 64 bytes when a record needs it
  EXPECT_EQ(big.rows.size(), 3000u);
  EXPECT_EQ(big.rows, small.rows);
  EXPECT_EQ(big.lines, small.lines);
}

TEST(CsvReader, SplitLine) {
  EXPECT_EQ(split_csv_line("a,\"b,c\",d", ','), (std::vector<std::string>{"a", "b,c", "d"}));
  EXPECT_EQ(split_csv_line("a;b", ';'), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvReader, LastRecordEnd) {
  EXPECT_EQ(last_record_end("a,b\nc,d\ne"), 8u);
  EXPECT_EQ(last_record_end("a,\"b\nc\"\nx"), 8u);   // the newline inside quotes does not count
  EXPECT_EQ(last_record_end("a,\"b\nc"), 0u);        // still inside the quoted field
}

TEST(Utf8, AcceptsValidAndRejectsMalformed) {
  std::size_t off = 0;
  EXPECT_TRUE(valid_utf8("plain ascii, long enough to take the fast path"));
  EXPECT_TRUE(valid_utf8("Sm\xC3\xA5land \xE2\x82\xAC \xF0\x9F\x8F\xAD"));  // å € 🏭
  EXPECT_FALSE(valid_utf8("abc\xFF", &off));
  EXPECT_EQ(off, 3u);
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(valid_utf8("Sm\xE5land"));        // Latin-1 å
}

TEST(CsvReader, ThousandsOfColumns) {
  // A wide file (e.g. an industry × occupation matrix): 5,000 columns, quoted header names.
  std::string text;
  for (int c = 0; c < 5000; ++c) text += (c ? "," : "") + std::string("\"col ") + std::to_string(c) + "\"";
  text += "\n";
  for (int r = 0; r < 20; ++r) {
    for (int c = 0; c < 5000; ++c) text += (c ? "," : "") + std::to_string(r * 5000 + c);
    text += "\n";
  }
  test_support::TempDir d;
  const auto p = parse_file(d.write("wide.csv", text), 4096);
  ASSERT_EQ(p.header.size(), 5000u);
  EXPECT_EQ(p.header[4999], "col 4999");
  ASSERT_EQ(p.rows.size(), 20u);
  EXPECT_EQ(p.rows[19][4999], std::to_string(19 * 5000 + 4999));
}
