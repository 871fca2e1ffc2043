#include "core/monitor/log_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "engine/lifecycle/container_logs.h"

namespace berth::core::monitor {
namespace {

std::vector<nlohmann::json> lines_of(const std::string& text) {
  std::vector<nlohmann::json> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    out.push_back(nlohmann::json::parse(text.substr(start, nl - start)));
    start = nl + 1;
  }
  return out;
}

class LogWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe(fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  std::string drain() {
    ::close(fds_[1]);
    fds_[1] = -1;
    std::string out;
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  int fds_[2];
};

TEST_F(LogWriterTest, SplitsLinesAndKeepsPartials) {
  JsonLogWriter w(fds_[1]);
  w.write(JsonLogWriter::kStdout, "hel");
  w.write(JsonLogWriter::kStdout, "lo\nwor");
  w.write(JsonLogWriter::kStderr, "oops\n");
  w.flush();
  auto lines = lines_of(drain());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["log"], "hello\n");
  EXPECT_EQ(lines[0]["stream"], "stdout");
  EXPECT_EQ(lines[1]["log"], "oops\n");
  EXPECT_EQ(lines[1]["stream"], "stderr");
  EXPECT_EQ(lines[2]["log"], "wor");  // no newline at the end: as Docker
  EXPECT_TRUE(lines[0]["time"].get<std::string>().ends_with("Z"));
}

TEST_F(LogWriterTest, EscapesAndRepairsUtf8) {
  JsonLogWriter w(fds_[1]);
  w.write(JsonLogWriter::kStdout, std::string("q\"b\\t\x01\xff ok \xc3\xa9\n"));
  auto lines = lines_of(drain());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["log"], "q\"b\\t\x01\xef\xbf\xbd ok \xc3\xa9\n");
}

TEST_F(LogWriterTest, LongLinesAreCut) {
  JsonLogWriter w(fds_[1]);
  w.write(JsonLogWriter::kStdout, std::string(20000, 'x'));
  w.flush();
  auto lines = lines_of(drain());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["log"].get<std::string>().size(), 16384u);
}

TEST(LogParse, ReadsBack) {
  std::string encoded;
  JsonLogWriter::encode(encoded, JsonLogWriter::kStderr, "x\n");
  encoded.pop_back();
  auto e = engine::lifecycle::parse_log_line(encoded);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->is_stderr);
  EXPECT_EQ(e->text, "x\n");
  EXPECT_FALSE(engine::lifecycle::parse_log_line("{torn"));
}

}  // namespace
}  // namespace berth::core::monitor
