#include "core/runtime/user.h"

#include <charconv>

#include "common/error.h"
#include "common/strings.h"

namespace berth::core::runtime {

namespace {

template <typename T>
std::optional<T> number(std::string_view s) {
  T v{};
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    fn(split(line, ':'));
  }
}

}  // namespace

std::vector<PasswdEntry> parse_passwd(std::string_view text) {
  std::vector<PasswdEntry> out;
  for_each_line(text, [&](const std::vector<std::string>& f) {
    if (f.size() < 7) return;
    auto uid = number<uid_t>(f[2]);
    auto gid = number<gid_t>(f[3]);
    if (!uid || !gid) return;
    out.push_back({std::string(f[0]), *uid, *gid, std::string(f[5])});
  });
  return out;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
  std::vector<GroupEntry> out;
  for_each_line(text, [&](const std::vector<std::string>& f) {
    if (f.size() < 3) return;
    auto gid = number<gid_t>(f[2]);
    if (!gid) return;
    GroupEntry g{std::string(f[0]), *gid, {}};
    if (f.size() > 3 && !f[3].empty())
      for (auto m : split(f[3], ',')) g.members.emplace_back(m);
    out.push_back(std::move(g));
  });
  return out;
}

ExecUser resolve_user(const std::string& spec, const std::optional<std::string>& passwd,
                      const std::optional<std::string>& group) {
  const size_t colon = spec.find(':');
  const std::string user = spec.substr(0, colon);
  const std::string grp = colon == std::string::npos ? "" : spec.substr(colon + 1);
  const auto users = parse_passwd(passwd.value_or(""));
  const auto groups = parse_group(group.value_or(""));

  ExecUser out;
  const PasswdEntry* entry = nullptr;
  const std::string user_or_root = user.empty() ? "0" : user;
  auto uid = number<uid_t>(user_or_root);
  for (const auto& e : users) {
    if ((uid && e.uid == *uid) || (!uid && e.name == user_or_root)) {
      entry = &e;
      break;
    }
  }
  if (entry) {
    out.uid = entry->uid;
    out.gid = entry->gid;
    if (!entry->home.empty()) out.home = entry->home;
  } else if (uid) {
    out.uid = *uid;
  } else {
    throw Error("unable to find user " + user + ": no matching entries in passwd file", 125);
  }

  if (!grp.empty()) {
    auto gid = number<gid_t>(grp);
    const GroupEntry* g = nullptr;
    for (const auto& e : groups)
      if ((gid && e.gid == *gid) || (!gid && e.name == grp)) g = g ? g : &e;
    if (g) {
      out.gid = g->gid;
    } else if (gid) {
      out.gid = *gid;
    } else {
      throw Error("unable to find group " + grp + ": no matching entries in group file", 125);
    }
  }
  if (entry) {
    for (const auto& g : groups) {
      for (const auto& m : g.members)
        if (m == entry->name) out.groups.push_back(g.gid);
    }
  }
  return out;
}

}  // namespace berth::core::runtime
