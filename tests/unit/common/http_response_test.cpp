#include "common/http_response.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(ContentDisposition, QuotedAndTokenFilename) {
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"app.tar.gz\""), "app.tar.gz");
  EXPECT_EQ(content_disposition_filename("attachment; filename=app.tgz"), "app.tgz");
  EXPECT_EQ(content_disposition_filename("Attachment; FILENAME = \"a b.txt\" ; size=3"), "a b.txt");
  EXPECT_EQ(content_disposition_filename("inline; filename=\"q\\\"uote\""), "q\"uote");
}

TEST(ContentDisposition, ExtendedFormWins) {
  EXPECT_EQ(content_disposition_filename(
                "attachment; filename=\"plain.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt"),
            "\xE2\x82\xAC rates.txt");
}

TEST(ContentDisposition, PathIsReducedToItsBase) {
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"../../etc/passwd\""), "passwd");
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"/abs/x.bin\""), "x.bin");
}

TEST(ContentDisposition, NoUsableName) {
  EXPECT_EQ(content_disposition_filename(""), std::nullopt);
  EXPECT_EQ(content_disposition_filename("attachment"), std::nullopt);
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"dir/\""), std::nullopt);
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"..\""), std::nullopt);
  EXPECT_EQ(content_disposition_filename("attachment; filename=\".\""), std::nullopt);
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"\""), std::nullopt);
  EXPECT_EQ(content_disposition_filename("attachment; filename=\"unterminated"), std::nullopt);
  EXPECT_EQ(content_disposition_filename("; filename=x"), std::nullopt);
}

TEST(UrlPathBase, LastComponent) {
  EXPECT_EQ(url_path_base("https://example.com/a/b/tool-1.2.tar.gz"), "tool-1.2.tar.gz");
  EXPECT_EQ(url_path_base("https://example.com/a/b.txt?x=1#frag"), "b.txt");
  EXPECT_EQ(url_path_base("http://example.com/dir/"), "dir");
  EXPECT_EQ(url_path_base("http://example.com/with%20space"), "with space");
  EXPECT_EQ(url_path_base("http://u:p@example.com:8080/f"), "f");
}

TEST(UrlPathBase, NoName) {
  EXPECT_EQ(url_path_base("https://example.com"), std::nullopt);
  EXPECT_EQ(url_path_base("https://example.com/"), std::nullopt);
  EXPECT_EQ(url_path_base("https://example.com/?q=a/b"), std::nullopt);
  EXPECT_EQ(url_path_base("https://example.com/a/.."), std::nullopt);
  EXPECT_EQ(url_path_base("https://example.com/%2e%2e"), std::nullopt);
  EXPECT_EQ(url_path_base("https://example.com/a%2Fb"), std::nullopt);
}

TEST(DownloadFilename, BuildKitOrder) {
  EXPECT_EQ(download_filename("https://h/latest", "attachment; filename=\"v1.tgz\""), "v1.tgz");
  EXPECT_EQ(download_filename("https://h/latest", ""), "latest");
  EXPECT_EQ(download_filename("https://h/latest", "attachment; filename=\"..\""), "latest");
  EXPECT_EQ(download_filename("https://h/", ""), "download");
}

TEST(HttpDate, ThreeForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(parse_http_date("yesterday"), std::nullopt);
  EXPECT_EQ(parse_http_date(""), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"), std::nullopt);
}

TEST(HttpStatusText, Known) {
  EXPECT_EQ(http_status_text(404), "Not Found");
  EXPECT_EQ(http_status_text(500), "Internal Server Error");
  EXPECT_EQ(http_status_text(799), "");
}

TEST(RedactUrl, MasksPasswordOnly) {
  EXPECT_EQ(redact_url("https://alice:s3cret@h.example/p?q"), "https://alice:xxxxx@h.example/p?q");
  EXPECT_EQ(redact_url("https://alice@h.example/p"), "https://alice@h.example/p");
  EXPECT_EQ(redact_url("https://h.example/a@b"), "https://h.example/a@b");
  EXPECT_EQ(redact_url("https://a:b:c@h/"), "https://a:xxxxx@h/");
  EXPECT_EQ(redact_url("not a url"), "not a url");
}

}  // namespace
}  // namespace berth
