// The typed model bound from the canonical tree, and the service graph's orders.
#include <gtest/gtest.h>

#include "compose/graph.h"
#include "compose/render.h"
#include "tests/unit/compose/test_project.h"

namespace berth::compose {
namespace {

const char* const kStack = R"(
services:
  web:
    image: nginx
    command: nginx -g 'daemon off;'
    ports: ["127.0.0.1:8080:80"]
    volumes: ["./html:/usr/share/nginx/html:ro", "logs:/var/log/nginx"]
    depends_on:
      api:
        condition: service_healthy
    environment: [MODE=prod]
    healthcheck:
      test: curl -f localhost
      interval: 30s
      retries: 3
    deploy:
      replicas: 3
  api:
    build: ./api
    networks:
      back:
        aliases: [backend]
    secrets: [token]
    stop_grace_period: 5s
    ulimits:
      nofile: {soft: 1024, hard: 2048}
  db:
    image: postgres
    networks: [back]
volumes:
  logs:
networks:
  back:
secrets:
  token:
    file: ./token.txt
)";

TEST(Model, BindsTypedFields) {
  TestProject p;
  p.file("compose.yaml", kStack);
  auto project = p.load();
  ASSERT_EQ(project.services.size(), 3u);
  EXPECT_EQ(project.services[0].name, "api");  // sorted by name
  const auto* web = project.find_service("web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(*web->command, (std::vector<std::string>{"nginx", "-g", "daemon off;"}));
  ASSERT_EQ(web->ports.size(), 1u);
  EXPECT_EQ(web->ports[0].host_ip, "127.0.0.1");
  EXPECT_EQ(web->ports[0].target, 80u);
  EXPECT_EQ(web->ports[0].published, "8080");
  ASSERT_EQ(web->volumes.size(), 2u);
  EXPECT_EQ(web->volumes[0].type, "bind");
  EXPECT_EQ(web->volumes[0].source, (p.dir() / "html").string());
  EXPECT_TRUE(web->volumes[0].read_only);
  EXPECT_EQ(web->volumes[1].source, "logs");
  EXPECT_EQ(web->depends_on.at("api").condition, "service_healthy");
  EXPECT_TRUE(web->depends_on.at("api").required);
  EXPECT_EQ(web->environment.at("MODE"), "prod");
  EXPECT_EQ(web->healthcheck->test, (std::vector<std::string>{"CMD-SHELL", "curl -f localhost"}));
  EXPECT_EQ(web->healthcheck->interval_ns, 30'000'000'000);
  EXPECT_EQ(web->scale, 3);
  EXPECT_TRUE(web->networks.count("default"));
  const auto* api = project.find_service("api");
  EXPECT_EQ(api->build->context, (p.dir() / "api").string());
  EXPECT_EQ(api->build->dockerfile, "Dockerfile");
  EXPECT_EQ(api->networks.at("back").aliases, std::vector<std::string>{"backend"});
  EXPECT_EQ(api->secrets.at(0).source, "token");
  EXPECT_EQ(*api->stop_grace_period_ns, 5'000'000'000);
  EXPECT_EQ(api->ulimits.at("nofile").hard, 2048);
  EXPECT_EQ(project.networks.at("back").name, project.name + "_back");
  EXPECT_EQ(project.volumes.at("logs").name, project.name + "_logs");
  EXPECT_EQ(project.secrets.at("token").file, (p.dir() / "token.txt").string());
}

TEST(Model, StartOrderPutsDependenciesFirst) {
  TestProject p;
  p.file("compose.yaml", kStack);
  auto graph = service_graph(p.load());
  EXPECT_EQ(graph.start_order(), (std::vector<std::string>{"api", "db", "web"}));
  EXPECT_EQ(graph.dependents("api"), std::set<std::string>{"web"});
  EXPECT_EQ(graph.dependencies("web"), std::set<std::string>{"api"});
}

TEST(Model, GraphRejectsCycles) {
  EXPECT_THROW(ServiceGraph({{"a", {"b"}}, {"b", {"a"}}}), schema::ComposeError);
}

TEST(Model, ConfigHashIgnoresScaleAndDependencies) {
  TestProject a, b;
  a.file("compose.yaml", "name: p\nservices:\n  s:\n    image: x\n    scale: 1\n");
  b.file("compose.yaml",
         "name: p\nservices:\n  s:\n    image: x\n    scale: 2\n    depends_on: [t]\n  t:\n"
         "    image: y\n");
  auto ha = service_config_hash(*a.load().find_service("s"));
  auto hb = service_config_hash(*b.load().find_service("s"));
  EXPECT_EQ(ha, hb);
  EXPECT_EQ(ha.size(), 64u);
  TestProject c;
  c.file("compose.yaml", "name: p\nservices:\n  s:\n    image: z\n");
  EXPECT_NE(service_config_hash(*c.load().find_service("s")), ha);
}

TEST(Model, JsonOutputIsTyped) {
  TestProject p;
  p.file("compose.yaml",
         "name: p\nservices:\n  s:\n    image: x\n    ports: [\"80:80\"]\n    tty: true\n");
  std::string json = render_json(project_document(p.load()));
  EXPECT_NE(json.find("\"target\": 80"), std::string::npos) << json;
  EXPECT_NE(json.find("\"published\": \"80\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"tty\": true"), std::string::npos) << json;
  EXPECT_EQ(json.rfind("{\n  \"name\": \"p\"", 0), 0u) << json;
}

TEST(Model, NoInterpolateKeepsTemplates) {
  TestProject p;
  p.file("compose.yaml", "services:\n  s:\n    image: ${IMG:?x}\n");
  p.options().interpolate = false;
  EXPECT_EQ(p.load().services[0].image, "${IMG:?x}");
}

// Lifecycle hooks: pre_start (init containers, which may name their own image), post_start and
// pre_stop (execs in the service's container, which cannot).
TEST(Model, BindsLifecycleHooks) {
  TestProject p;
  p.file("compose.yaml", R"(
services:
  app:
    image: busybox
    pre_start:
      - image: migrate:1
        command: ./migrate up
        user: "1000"
        environment: [DB=x]
      - command: ["true"]
    post_start:
      - command: ["touch", "/ready"]
)");
  auto project = p.load();
  const auto* app = project.find_service("app");
  ASSERT_NE(app, nullptr);
  ASSERT_EQ(app->pre_start.size(), 2u);
  EXPECT_EQ(app->pre_start[0].image, "migrate:1");
  EXPECT_EQ(app->pre_start[0].command, (std::vector<std::string>{"./migrate", "up"}));
  EXPECT_EQ(app->pre_start[0].user, "1000");
  EXPECT_EQ(app->pre_start[0].environment.at("DB"), "x");
  EXPECT_EQ(app->pre_start[1].image, "");
  ASSERT_EQ(app->post_start.size(), 1u);

  TestProject bad;
  bad.file("compose.yaml",
           "services:\n  app:\n    image: busybox\n    post_start:\n      - image: x\n"
           "        command: [\"true\"]\n");
  EXPECT_EQ(bad.error(),
            "compose.yaml:5:9: services.app.post_start[0]: additional property \"image\" is not "
            "allowed");
}

}  // namespace
}  // namespace berth::compose
