// The planner: a compose project against the containers, networks and volumes that exist →
// the actions of `up` and `down`, with Compose's names and labels.
#include "orchestrator/plan.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "compose/render.h"
#include "orchestrator/labels.h"
#include "tests/unit/compose/test_project.h"

namespace berth::orchestrator {
namespace {

const char* kStack = R"(
services:
  web:
    image: busybox
    networks:
      front:
        aliases: [www]
  client:
    image: busybox
    depends_on: [web]
  migrate:
    image: busybox
networks:
  front: {}
  outside:
    external: true
volumes:
  data: {}
  named:
    name: fixed-name
)";

schema::Project load(const std::string& yaml) {
  compose::TestProject p;
  p.file("compose.yaml", yaml);
  p.options().name = "demo";
  return p.load();
}

std::vector<std::string> kinds_of(const std::vector<Action>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(std::string(action_name(a.kind)) + " " + a.name);
  return out;
}

// The state a first `up` leaves: every service's container running with its config hash, the
// project's networks and volumes labelled with it.
CurrentState after_up(const schema::Project& p) {
  CurrentState cur;
  for (const auto& s : p.services)
    cur.containers.push_back({.id = "id-" + s.name,
                              .name = "demo-" + s.name + "-1",
                              .service = s.name,
                              .number = 1,
                              .config_hash = compose::service_config_hash(s),
                              .running = true});
  for (const auto& [_, n] : p.networks) cur.networks[n.name] = n.external ? "" : "demo";
  for (const auto& [_, v] : p.volumes) cur.volumes[v.name] = "demo";
  return cur;
}

TEST(PlanUp, FreshProjectCreatesNetworksThenContainersDependenciesFirst) {
  auto p = load(kStack);
  CurrentState cur;
  cur.networks["outside"] = "";
  auto plan = plan_up(p, cur, {});
  EXPECT_EQ(kinds_of(plan.resources),
            (std::vector<std::string>{"create network demo_default", "create network demo_front"}))
      << "migrate (first) uses the default network, web `front`; volumes are unused";
  EXPECT_EQ(plan.order, (std::vector<std::string>{"migrate", "web", "client"}));
  EXPECT_EQ(plan.after.at("client"), (std::set<std::string>{"web"}));
  EXPECT_TRUE(plan.after.at("web").empty());
  ASSERT_EQ(plan.containers.at("web").size(), 1u);
  const Action& web = plan.containers.at("web")[0];
  EXPECT_EQ(web.kind, ActionKind::kCreateContainer);
  EXPECT_EQ(web.name, "demo-web-1");
  EXPECT_EQ(web.number, 1);
  EXPECT_EQ(web.config_hash, compose::service_config_hash(*p.find_service("web")));
  EXPECT_EQ(web.reason, "missing");
}

TEST(PlanUp, NetworksAndVolumesTheServicesUse) {
  auto p = load(R"(
services:
  a:
    image: busybox
    networks: [front, outside]
    volumes: [data:/data, named:/named, /host:/host]
networks:
  front: {}
  outside:
    external: true
volumes:
  data: {}
  named:
    name: fixed-name
)");
  CurrentState cur;
  cur.networks["outside"] = "";
  auto plan = plan_up(p, cur, {});
  EXPECT_EQ(kinds_of(plan.resources),
            (std::vector<std::string>{"create network demo_front", "create volume demo_data",
                                      "create volume fixed-name"}));
  cur.networks.clear();
  try {
    plan_up(p, cur, {});
    FAIL() << "a missing external network is an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "network outside declared as external, but could not be found");
  }
}

TEST(PlanUp, SecondUpKeepsEverything) {
  auto p = load(kStack);
  auto plan = plan_up(p, after_up(p), {});
  EXPECT_TRUE(plan.resources.empty());
  for (const auto& [service, actions] : plan.containers) {
    ASSERT_EQ(actions.size(), 1u) << service;
    EXPECT_EQ(actions[0].kind, ActionKind::kKeepContainer) << service;
    EXPECT_EQ(actions[0].container_id, "id-" + service);
  }
}

TEST(PlanUp, ChangedServiceIsRecreatedAloneAndAStoppedOneStarted) {
  auto before = load(kStack);
  auto cur = after_up(before);
  for (auto& c : cur.containers)
    if (c.service == "migrate") c.running = false;
  std::string changed = kStack;
  changed.replace(changed.find("    depends_on: [web]"), 0, "    environment: {A: '1'}\n");
  auto plan = plan_up(load(changed), cur, {});
  EXPECT_EQ(plan.containers.at("web")[0].kind, ActionKind::kKeepContainer);
  const Action& client = plan.containers.at("client")[0];
  EXPECT_EQ(client.kind, ActionKind::kRecreateContainer);
  EXPECT_EQ(client.container_id, "id-client");
  EXPECT_EQ(client.reason, "config hash changed");
  EXPECT_EQ(plan.containers.at("migrate")[0].kind, ActionKind::kStartContainer);
  UpOptions force;
  force.force_recreate = true;
  EXPECT_EQ(plan_up(before, after_up(before), force).containers.at("web")[0].kind,
            ActionKind::kRecreateContainer);
}

TEST(PlanUp, ScaleKeepsTheLowestNumbersAndRemovesTheRest) {
  auto p = load("services:\n  api:\n    image: busybox\n    scale: 2\n");
  const std::string hash = compose::service_config_hash(p.services[0]);
  CurrentState cur;
  for (int n : {1, 3, 3})
    cur.containers.push_back({.id = "id" + std::to_string(cur.containers.size()),
                              .name = "demo-api-" + std::to_string(n),
                              .service = "api",
                              .number = n,
                              .config_hash = hash,
                              .running = true});
  auto plan = plan_up(p, cur, {});
  EXPECT_EQ(kinds_of(plan.containers.at("api")),
            (std::vector<std::string>{"keep demo-api-1", "remove demo-api-3", "remove demo-api-3",
                                      "create demo-api-2"}));
}

TEST(PlanUp, OfTwoContainersWithOneNumberTheProperlyNamedOneIsKept) {
  auto p = load("services:\n  api:\n    image: busybox\n");
  const std::string hash = compose::service_config_hash(p.services[0]);
  CurrentState cur;
  cur.containers.push_back({.id = "new",
                            .name = "0123456789ab_demo-api-1",
                            .service = "api",
                            .number = 1,
                            .config_hash = hash,
                            .running = false});
  cur.containers.push_back({.id = "old",
                            .name = "demo-api-1",
                            .service = "api",
                            .number = 1,
                            .config_hash = hash,
                            .running = true});
  auto plan = plan_up(p, cur, {});
  EXPECT_EQ(kinds_of(plan.containers.at("api")),
            (std::vector<std::string>{"keep demo-api-1", "remove 0123456789ab_demo-api-1"}));
  cur.containers.pop_back();
  plan = plan_up(p, cur, {});
  EXPECT_EQ(kinds_of(plan.containers.at("api")), (std::vector<std::string>{"recreate demo-api-1"}))
      << "alone, it is made again under its name";
}

TEST(PlanUp, NamedServicesBringTheirDependenciesOnly) {
  auto p = load(kStack);
  UpOptions o;
  o.services = {"client"};
  auto plan = plan_up(p, {}, o);
  EXPECT_EQ(plan.order, (std::vector<std::string>{"web", "client"}));
  o.no_deps = true;
  EXPECT_EQ(plan_up(p, {}, o).order, (std::vector<std::string>{"client"})) << "--no-deps";
  o.services = {"nope"};
  try {
    plan_up(p, {}, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "no such service: nope");
  }
}

TEST(PlanUp, OrphansAreReportedAndRemovedOnRequest) {
  auto p = load(kStack);
  auto cur = after_up(p);
  cur.containers.push_back({.id = "old", .name = "demo-old-1", .service = "old", .number = 1});
  auto plan = plan_up(p, cur, {});
  ASSERT_EQ(plan.orphans.size(), 1u);
  EXPECT_EQ(plan.orphans[0].name, "demo-old-1");
  EXPECT_FALSE(plan.containers.count("old"));
  UpOptions o;
  o.remove_orphans = true;
  plan = plan_up(p, cur, o);
  EXPECT_EQ(kinds_of(plan.containers.at("old")), (std::vector<std::string>{"remove demo-old-1"}));
}

TEST(PlanUp, ServiceHealthyIsADependencyLikeAnyOther) {
  auto p = load(R"(
services:
  db:
    image: busybox
  app:
    image: busybox
    depends_on:
      db:
        condition: service_healthy
)");
  // The converger waits for the health; the plan orders it like any dependency.
  const Plan plan = plan_up(p, {}, {});
  EXPECT_EQ(plan.order, (std::vector<std::string>{"db", "app"}));
  EXPECT_EQ(plan.after.at("app"), std::set<std::string>{"db"});
}

TEST(PlanUp, ADependentWithRestartTrueIsRestartedWhenItsDependencyIsRecreated) {
  const std::string yaml = R"(
services:
  db:
    image: busybox
  app:
    image: busybox
    depends_on:
      db:
        condition: service_started
        restart: true
  other:
    image: busybox
    depends_on: [db]
)";
  auto before = load(yaml);
  std::string changed = yaml;
  changed.replace(changed.find("  app:"), 0, "    environment: {V: '2'}\n");
  auto plan = plan_up(load(changed), after_up(before), {});
  EXPECT_EQ(plan.containers.at("db")[0].kind, ActionKind::kRecreateContainer);
  EXPECT_EQ(plan.containers.at("app")[0].kind, ActionKind::kRestartContainer);
  EXPECT_EQ(plan.containers.at("app")[0].reason, "dependency db recreated");
  EXPECT_EQ(plan.containers.at("other")[0].kind, ActionKind::kKeepContainer);
}

TEST(PlanDown, DependentsFirstAndOnlyWhatTheProjectMade) {
  auto p = load(kStack);
  auto cur = after_up(p);
  cur.networks["demo_front"] = "other";  // same name, made by someone else: kept
  cur.containers.push_back({.id = "old", .name = "demo-old-1", .service = "old", .number = 1});
  auto plan = plan_down(p, cur, {});
  EXPECT_EQ(plan.order, (std::vector<std::string>{"client", "web", "migrate"}));
  EXPECT_EQ(plan.after.at("web"), (std::set<std::string>{"client"}));
  EXPECT_EQ(kinds_of(plan.resources), (std::vector<std::string>{"remove network demo_default"}))
      << "external and foreign networks stay; volumes only with -v";
  EXPECT_EQ(plan.orphans.size(), 1u);
  DownOptions o;
  o.volumes = true;
  o.remove_orphans = true;
  plan = plan_down(p, cur, o);
  EXPECT_EQ(kinds_of(plan.resources),
            (std::vector<std::string>{"remove network demo_default", "remove volume demo_data",
                                      "remove volume fixed-name"}));
  EXPECT_EQ(kinds_of(plan.containers.at("old")), (std::vector<std::string>{"remove demo-old-1"}));
}

TEST(PlanServiceVerbs, StopDependentsFirstStartDependenciesFirstRmTheStoppedOnes) {
  auto p = load(kStack);
  auto cur = after_up(p);
  for (auto& c : cur.containers)
    if (c.service == "migrate") c.running = false;
  auto stop = plan_stop(p, cur, {});
  EXPECT_EQ(stop.order, (std::vector<std::string>{"client", "web"})) << "migrate does not run";
  EXPECT_EQ(stop.after.at("web"), (std::set<std::string>{"client"}));
  EXPECT_EQ(kinds_of(stop.containers.at("web")), (std::vector<std::string>{"stop demo-web-1"}));
  EXPECT_EQ(plan_stop(p, cur, {"web"}).order, (std::vector<std::string>{"web"}));

  for (auto& c : cur.containers) c.running = c.service == "web";
  auto start = plan_start(p, cur, {});
  EXPECT_EQ(start.order, (std::vector<std::string>{"migrate", "client"}));
  EXPECT_EQ(kinds_of(start.containers.at("client")),
            (std::vector<std::string>{"start demo-client-1"}));

  EXPECT_EQ(plan_rm(p, cur, {}, false).order, (std::vector<std::string>{"client", "migrate"}));
  EXPECT_EQ(plan_rm(p, cur, {}, true).order,
            (std::vector<std::string>{"client", "web", "migrate"}));
  EXPECT_THROW(plan_stop(p, cur, {"nope"}), Error);

  auto restart = plan_restart(p, cur, {});
  EXPECT_EQ(restart.order, (std::vector<std::string>{"migrate", "web", "client"}))
      << "every container, running or not, dependencies first";
  EXPECT_EQ(restart.after.at("client"), (std::set<std::string>{"web"}));
  EXPECT_EQ(kinds_of(restart.containers.at("migrate")),
            (std::vector<std::string>{"restart demo-migrate-1"}));
  EXPECT_THROW(plan_restart(p, cur, {"nope"}), Error);
}

TEST(Labels, AsComposeWritesThem) {
  auto p = load(R"(
services:
  db:
    image: busybox
  app:
    image: busybox
    container_name: the-app
    depends_on:
      db:
        condition: service_completed_successfully
        restart: true
)");
  const auto& app = *p.find_service("app");
  EXPECT_EQ(container_name(p, app, 1), "the-app");
  EXPECT_EQ(container_name(p, *p.find_service("db"), 2), "demo-db-2");
  auto l = container_labels(p, app, 1, "h");
  EXPECT_EQ(l.at("com.docker.compose.project"), "demo");
  EXPECT_EQ(l.at("com.docker.compose.service"), "app");
  EXPECT_EQ(l.at("com.docker.compose.container-number"), "1");
  EXPECT_EQ(l.at("com.docker.compose.oneoff"), "False");
  EXPECT_EQ(l.at("com.docker.compose.config-hash"), "h");
  EXPECT_EQ(l.at("com.docker.compose.depends_on"), "db:service_completed_successfully:true");
  EXPECT_EQ(l.at("com.docker.compose.project.working_dir"), p.working_dir);
  EXPECT_EQ(l.at("com.docker.compose.project.config_files"), p.config_files.at(0));
  EXPECT_EQ(network_labels(p, "default").at("com.docker.compose.network"), "default");
}

}  // namespace
}  // namespace berth::orchestrator
