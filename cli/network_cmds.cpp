// network create/ls/inspect/rm/prune/connect/disconnect (Docker's output shapes), and the
// hidden `__dns` (the embedded DNS process) and `__cleanup ID` (run by a container's monitor
// after it exits: network/container_network.h teardown).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/container_commands.h"
#include "cli/network_format.h"
#include "common/error.h"
#include "network/container_network.h"
#include "network/dns_control.h"
#include "network/networks.h"

namespace berth::cli {

namespace {

namespace net = berth::network;

void add_create(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("create", "Create a network");
  auto o = std::make_shared<net::NetworkCreateOptions>();
  auto subnet = std::make_shared<std::string>(), gateway = std::make_shared<std::string>(),
       ip_range = std::make_shared<std::string>();
  auto* subnet_opt = sub->add_option("--subnet", *subnet, "Subnet in CIDR format");
  auto* gateway_opt = sub->add_option("--gateway", *gateway, "IPv4 Gateway for the subnet");
  auto* range_opt =
      sub->add_option("--ip-range", *ip_range, "Allocate container ip from a sub-range");
  sub->add_flag("--internal", o->internal, "Restrict external access to the network");
  sub->add_option("--label", o->labels, "Set metadata on a network")->take_all();
  sub->add_option("-o,--opt", o->options, "Set driver specific options")->take_all();
  auto driver = std::make_shared<std::string>("bridge");
  sub->add_option("-d,--driver", *driver, "Driver to manage the Network (bridge only)")
      ->check(CLI::IsMember({"bridge"}));
  sub->add_option("NAME", o->name, "Network name")->required();
  sub->callback([=, &g] {
    net::NetworkCreateOptions opts = *o;
    if (subnet_opt->count()) opts.subnet = *subnet;
    if (gateway_opt->count()) opts.gateway = *gateway;
    if (range_opt->count()) opts.ip_range = *ip_range;
    std::cout << net::create_network(g.paths, opts).id << "\n";
  });
}

void add_ls(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("ls", "List networks");
  sub->alias("list");
  auto f = std::make_shared<NetworkListFlags>();
  sub->add_flag("-q,--quiet", f->quiet, "Only display network IDs");
  sub->add_flag("--no-trunc", f->no_trunc, "Do not truncate the output");
  sub->add_option("--format", f->format,
                  "Format output: table, json, a Go template ({{.Name}}) or table TEMPLATE");
  sub->add_option("-f,--filter", f->filters, "Filter output (name=, id=, label=, driver=)")
      ->take_all();
  sub->callback([f, &g] { print_networks(g.paths, *f, std::cout); });
}

void add_inspect(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("inspect", "Display detailed information on networks");
  auto names = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>();
  sub->add_option("-f,--format", *format, "Format output using a Go template");
  sub->add_option("NETWORK", *names, "Networks")->required();
  sub->callback([=, &g] { g.exit_code = inspect_networks(g.paths, *names, *format, std::cout); });
}

void add_rm(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("rm", "Remove one or more networks");
  sub->alias("remove");
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("NETWORK", *names, "Networks")->required();
  sub->callback([names, &g] {
    for_each_container(g, *names, [&](const std::string& name) {
      net::remove_network(g.paths, name);
      std::cout << name << "\n";
    });
  });
}

void add_prune(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("prune", "Remove all unused networks");
  auto force = std::make_shared<bool>(false);
  auto filters = std::make_shared<std::vector<std::string>>();
  sub->add_flag("-f,--force", *force, "Do not prompt for confirmation");
  sub->add_option("--filter", *filters, "Provide filter values (label=<key>[=<value>])")
      ->take_all();
  sub->callback([=, &g] {
    std::vector<std::string> labels;
    for (const auto& f : *filters) {
      if (!f.starts_with("label=")) throw Error("invalid filter \"" + f + "\"", 125);
      labels.push_back(f.substr(6));
    }
    auto removed = net::prune_networks(g.paths, labels);
    if (removed.empty()) return;
    std::cout << "Deleted Networks:\n";
    for (const auto& n : removed) std::cout << n << "\n";
  });
}

void add_connect(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("connect", "Connect a container to a network");
  auto args = std::make_shared<std::vector<std::string>>();
  auto aliases = std::make_shared<std::vector<std::string>>();
  auto ip = std::make_shared<std::string>();
  sub->add_option("--alias", *aliases, "Add network-scoped alias for the container")->take_all();
  sub->add_option("--ip", *ip, "IPv4 address (e.g., 172.30.100.104)");
  sub->add_option("NETWORK CONTAINER", *args, "Network and container")->required()->expected(2);
  sub->callback(
      [=, &g] { net::connect_container(g.paths, (*args)[0], (*args)[1], *aliases, *ip); });
}

void add_disconnect(CLI::App* group, Globals& g) {
  auto* sub = group->add_subcommand("disconnect", "Disconnect a container from a network");
  auto args = std::make_shared<std::vector<std::string>>();
  auto force = std::make_shared<bool>(false);
  sub->add_flag("-f,--force", *force, "Force the container to disconnect from a network");
  sub->add_option("NETWORK CONTAINER", *args, "Network and container")->required()->expected(2);
  sub->callback([args, force, &g] { net::disconnect_container(g.paths, (*args)[0], (*args)[1]); });
}

void add_hidden(CLI::App& app, Globals& g) {
  auto* dns = app.add_subcommand("__dns", "Run the embedded DNS server")->group("");
  dns->callback([&g] { g.exit_code = net::dns_command_main(g.paths); });
  auto* cleanup = app.add_subcommand("__cleanup", "Tear down an exited container's networking");
  cleanup->group("");
  auto id = std::make_shared<std::string>();
  cleanup->add_option("ID", *id, "Container ID")->required();
  cleanup->callback([id, &g] { net::teardown_container_network(g.paths, *id); });
  app.add_subcommand("__network-reset", "Remove every network of this root")
      ->group("")
      ->callback([&g] { net::reset_networks(g.paths); });
}

void register_network(CLI::App& app, Globals& g) {
  auto* group = app.add_subcommand("network", "Manage networks");
  group->require_subcommand(1);
  add_create(group, g);
  add_ls(group, g);
  add_inspect(group, g);
  add_rm(group, g);
  add_prune(group, g);
  add_connect(group, g);
  add_disconnect(group, g);
  add_hidden(app, g);
}

}  // namespace

BERTH_COMMANDS(register_network);

}  // namespace berth::cli
