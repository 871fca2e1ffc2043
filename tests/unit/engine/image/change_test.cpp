#include "engine/image/change.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::image {
namespace {

using nlohmann::json;

TEST(Change, CmdExecAndShellForms) {
  json c = json::object();
  apply_change(c, R"(CMD ["sh", "-c", "echo hi"])");
  EXPECT_EQ(c["Cmd"], json({"sh", "-c", "echo hi"}));
  apply_change(c, "CMD echo hi");
  EXPECT_EQ(c["Cmd"], json({"/bin/sh", "-c", "echo hi"}));
}

TEST(Change, Entrypoint) {
  json c = json::object();
  apply_change(c, R"(entrypoint ["/bin/busybox"])");
  EXPECT_EQ(c["Entrypoint"], json({"/bin/busybox"}));
}

TEST(Change, EnvPairsQuotesAndReplace) {
  json c = json::object();
  apply_change(c, R"(ENV A=1 B="x y")");
  apply_change(c, "ENV A 2 3");
  EXPECT_EQ(c["Env"], json({"A=2 3", "B=x y"}));
}

TEST(Change, LabelExposeUserWorkdirVolume) {
  json c = json::object();
  apply_change(c, R"(LABEL a=b "c d"=e)");
  apply_change(c, "EXPOSE 80 53/UDP");
  apply_change(c, "USER www-data:www-data");
  apply_change(c, "WORKDIR /srv");
  apply_change(c, "WORKDIR app");
  apply_change(c, R"(VOLUME ["/data"])");
  apply_change(c, "VOLUME /a /b");
  EXPECT_EQ(c["Labels"], json({{"a", "b"}, {"c d", "e"}}));
  EXPECT_EQ(c["ExposedPorts"], json({{"80/tcp", json::object()}, {"53/udp", json::object()}}));
  EXPECT_EQ(c["User"], "www-data:www-data");
  EXPECT_EQ(c["WorkingDir"], "/srv/app");
  EXPECT_EQ(c["Volumes"],
            json({{"/data", json::object()}, {"/a", json::object()}, {"/b", json::object()}}));
}

TEST(Change, RejectsUnknownAndEmpty) {
  json c = json::object();
  EXPECT_THROW(apply_change(c, "RUN echo"), Error);
  EXPECT_THROW(apply_change(c, "FROM busybox"), Error);
  EXPECT_THROW(apply_change(c, "CMD"), Error);
  EXPECT_THROW(apply_change(c, ""), Error);
  EXPECT_THROW(apply_change(c, "EXPOSE http"), Error);
  EXPECT_THROW(apply_change(c, "ENV novalue"), Error);
  try {
    apply_change(c, "RUN x");
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--change `RUN x`: RUN is not a valid change command");
  }
}

// The Dockerfile parser and typed instructions (dockerfile/) read each change: variables of the
// image's Env expand as a build would, flags are checked, ONBUILD refuses what Docker refuses.
TEST(Change, ParsedAsDockerfileInstructions) {
  json c = json::object();
  apply_change(c, "ENV A=1");
  apply_change(c, "ENV B=${A}x C=\"$A y\"");
  EXPECT_EQ(c["Env"], json({"A=1", "B=1x", "C=1 y"}));
  apply_change(c, "WORKDIR /srv/$A");
  EXPECT_EQ(c["WorkingDir"], "/srv/1");
  EXPECT_THROW(apply_change(c, "WORKDIR $UNSET"), Error);  // empty once expanded
  EXPECT_EQ(c["WorkingDir"], "/srv/1");
  apply_change(c, "ONBUILD RUN make");
  EXPECT_EQ(c["OnBuild"], json({"RUN make"}));
  EXPECT_THROW(apply_change(c, "ONBUILD ONBUILD RUN x"), Error);
  EXPECT_THROW(apply_change(c, "CMD --flag echo"), Error);
  try {
    apply_change(c, "ENV novalue");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--change `ENV novalue`: ENV must have two arguments");
  }
}

TEST(Change, SplitWords) {
  EXPECT_EQ(split_words(R"(a "b c" 'd e' f\ g)"),
            (std::vector<std::string>{"a", "b c", "d e", "f g"}));
  EXPECT_EQ(split_words(R"(x="" y)"), (std::vector<std::string>{"x=", "y"}));
  EXPECT_THROW(split_words("\"open"), Error);
}

}  // namespace
}  // namespace berth::engine::image
