// The healthcheck's Docker JSON, the merge of a request over the image's, and what it runs.
#include "core/runtime/health_config.h"

#include <gtest/gtest.h>

#include "core/runtime/spec.h"

namespace berth::core::runtime {
namespace {

TEST(HealthConfig, DockerJsonLeavesOutZeroFields) {
  Healthcheck h{.test = {"CMD-SHELL", "true"}, .interval_ns = 200'000'000};
  EXPECT_EQ(to_docker_json(h).dump(), R"({"Interval":200000000,"Test":["CMD-SHELL","true"]})");
  EXPECT_EQ(healthcheck_from_docker_json(to_docker_json(h)), h);
}

TEST(HealthConfig, ImageConfigIsRead) {
  const auto j = nlohmann::json::parse(
      R"({"Test":["CMD","/bin/true"],"Interval":1000000000,"Timeout":2000000000,)"
      R"("StartPeriod":3000000000,"StartInterval":4000000000,"Retries":5})");
  const Healthcheck h = healthcheck_from_docker_json(j);
  EXPECT_EQ(h.test, (std::vector<std::string>{"CMD", "/bin/true"}));
  EXPECT_EQ(h.interval_ns, 1'000'000'000);
  EXPECT_EQ(h.timeout_ns, 2'000'000'000);
  EXPECT_EQ(h.start_period_ns, 3'000'000'000);
  EXPECT_EQ(h.start_interval_ns, 4'000'000'000);
  EXPECT_EQ(h.retries, 5);
}

TEST(HealthConfig, RequestFieldsOverTheImages) {
  const Healthcheck image{
      .test = {"CMD", "/bin/true"}, .interval_ns = 1, .timeout_ns = 2, .retries = 4};
  const Healthcheck request{.interval_ns = 10, .retries = 1};
  const Healthcheck m = merge_healthcheck(request, image);
  EXPECT_EQ(m.test, image.test);
  EXPECT_EQ(m.interval_ns, 10);
  EXPECT_EQ(m.timeout_ns, 2);
  EXPECT_EQ(m.retries, 1);
  EXPECT_FALSE(healthcheck_enabled(merge_healthcheck({.test = {"NONE"}}, image)));
}

TEST(HealthConfig, ProbeAndDefaults) {
  EXPECT_EQ(probe_argv({.test = {"CMD-SHELL", "test -f /x"}}),
            (std::vector<std::string>{"/bin/sh", "-c", "test -f /x"}));
  EXPECT_EQ(probe_argv({.test = {"CMD", "/bin/true", "a"}}),
            (std::vector<std::string>{"/bin/true", "a"}));
  EXPECT_TRUE(probe_argv({.test = {"NONE"}}).empty());
  const Healthcheck d = with_defaults({.test = {"CMD", "x"}, .timeout_ns = 7});
  EXPECT_EQ(d.interval_ns, 30'000'000'000);
  EXPECT_EQ(d.timeout_ns, 7);
  EXPECT_EQ(d.start_interval_ns, 5'000'000'000);
  EXPECT_EQ(d.start_period_ns, 0);
  EXPECT_EQ(d.retries, 3);
}

TEST(HealthConfig, TravelsInTheRuntimeSpec) {
  RuntimeSpec s;
  s.health = with_defaults({.test = {"CMD", "x"}});
  const RuntimeSpec back = spec_from_json(to_json(s));
  ASSERT_TRUE(back.health.has_value());
  EXPECT_EQ(*back.health, *s.health);
  EXPECT_FALSE(spec_from_json(to_json(RuntimeSpec{})).health.has_value());
}

}  // namespace
}  // namespace berth::core::runtime
