#include "core/runtime/seccomp_profile.h"

#include <fcntl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/runtime/seccomp_compact.h"
#include "sys/unique_fd.h"

namespace berth::core::runtime {

using nlohmann::json;

namespace {

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

[[noreturn]] void bad(const std::string& source, const std::string& what) {
  throw Error("seccomp profile " + source + ": " + what, 125);
}

uint32_t action_of(const std::string& name, const json& errno_ret, uint32_t fallback_errno,
                   const std::string& source) {
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_ERRNO")
    return SCMP_ACT_ERRNO(errno_ret.is_number() ? errno_ret.get<uint32_t>() : fallback_errno);
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (name == "SCMP_ACT_TRACE")
    return SCMP_ACT_TRACE(errno_ret.is_number() ? errno_ret.get<uint16_t>() : fallback_errno);
  bad(source, "unsupported action \"" + name + "\"");
}

scmp_compare op_of(const std::string& name, const std::string& source) {
  static const std::map<std::string, scmp_compare> kOps = {
      {"SCMP_CMP_NE", SCMP_CMP_NE},
      {"SCMP_CMP_LT", SCMP_CMP_LT},
      {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ},
      {"SCMP_CMP_GE", SCMP_CMP_GE},
      {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
  auto it = kOps.find(name);
  if (it == kOps.end()) bad(source, "unsupported operator \"" + name + "\"");
  return it->second;
}

// Docker's (Go's) name for the native architecture, as used in includes/excludes "arches".
std::string native_go_arch() {
  switch (seccomp_arch_native()) {
    case SCMP_ARCH_X86_64:
      return "amd64";
    case SCMP_ARCH_AARCH64:
      return "arm64";
    case SCMP_ARCH_X86:
      return "386";
    case SCMP_ARCH_ARM:
      return "arm";
    case SCMP_ARCH_PPC64LE:
      return "ppc64le";
    case SCMP_ARCH_S390X:
      return "s390x";
    case SCMP_ARCH_RISCV64:
      return "riscv64";
  }
  return "";
}

bool has_all_caps(const json& list, CapMask caps) {
  for (const auto& c : list) {
    auto n = capability_number(c.get<std::string>());
    if (!n || !(caps & (CapMask{1} << *n))) return false;
  }
  return true;
}

bool has_any_cap(const json& list, CapMask caps) {
  for (const auto& c : list) {
    auto n = capability_number(c.get<std::string>());
    if (n && (caps & (CapMask{1} << *n))) return true;
  }
  return false;
}

bool lists_arch(const json& list, const std::string& arch) {
  for (const auto& a : list)
    if (a.get<std::string>() == arch || (arch == "amd64" && a.get<std::string>() == "x86_64"))
      return true;
  return false;
}

bool kernel_at_least(const std::string& version) {
  utsname u{};
  if (::uname(&u) < 0) return true;
  int have[2] = {0, 0}, want[2] = {0, 0};
  std::sscanf(u.release, "%d.%d", &have[0], &have[1]);
  std::sscanf(version.c_str(), "%d.%d", &want[0], &want[1]);
  return have[0] != want[0] ? have[0] > want[0] : have[1] >= want[1];
}

// Docker's filter: a rule applies when all its included caps are held, any included arch is
// this one and the kernel is new enough, and none of its excluded caps/arches match.
bool rule_applies(const json& rule, CapMask caps) {
  const std::string arch = native_go_arch();
  if (auto inc = rule.find("includes"); inc != rule.end() && inc->is_object()) {
    if (inc->contains("caps") && !has_all_caps((*inc)["caps"], caps)) return false;
    if (inc->contains("arches") && !(*inc)["arches"].empty() && !lists_arch((*inc)["arches"], arch))
      return false;
    if (inc->contains("minKernel") && (*inc)["minKernel"].is_string() &&
        !kernel_at_least((*inc)["minKernel"].get<std::string>()))
      return false;
  }
  if (auto exc = rule.find("excludes"); exc != rule.end() && exc->is_object()) {
    if (exc->contains("caps") && has_any_cap((*exc)["caps"], caps)) return false;
    if (exc->contains("arches") && lists_arch((*exc)["arches"], arch)) return false;
  }
  return true;
}

// libseccomp's token for "SCMP_ARCH_X86_64" (0 when unknown).
uint32_t arch_token(const std::string& name) {
  std::string lower = name.starts_with("SCMP_ARCH_") ? name.substr(10) : name;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return seccomp_arch_resolve_name(lower.c_str());
}

}  // namespace

// The probe is one x32 getpid. Under a seccomp filter of our own caller (a hardened systemd
// unit, a container) that x32 call could meet that filter's bad-arch action and kill us, so
// there x32 is assumed to run: the full program, as before.
bool kernel_runs_x32() {
#if defined(__x86_64__)
  static const bool runs = ::prctl(PR_GET_SECCOMP) != 0 ||
                           ::syscall(0x40000000 /* __X32_SYSCALL_BIT */ | SYS_getpid) == ::getpid();
  return runs;
#else
  return false;
#endif
}

namespace {

// The profile's architectures besides the native one. The x32 ABI is left out when this
// kernel does not run x32 syscalls (built without CONFIG_X86_X32_ABI, or with it off at boot,
// Debian's default): no x32 program can be exec'd there, and its rules were a third of the
// default program (1168 -> 826 instructions), loaded and JIT-compiled at every container start
// and every exec (~0.9 -> ~0.7 ms here). An x32-numbered syscall then meets the bad-arch
// action, as on any architecture a profile does not list.
void add_architectures(void* ctx, const json& profile, const std::string& source) {
  std::vector<std::string> names;
  if (profile.contains("architectures") && profile["architectures"].is_array()) {
    for (const auto& a : profile["architectures"]) names.push_back(a.get<std::string>());
  } else if (profile.contains("archMap") && profile["archMap"].is_array()) {
    for (const auto& m : profile["archMap"]) {
      std::string main = m.value("architecture", "");
      if (arch_token(main) != seccomp_arch_native()) continue;
      names.push_back(main);
      for (const auto& s : m.value("subArchitectures", json::array()))
        names.push_back(s.get<std::string>());
    }
  }
  for (const auto& name : names) {
    uint32_t arch = arch_token(name);
    if (arch == 0) bad(source, "unknown architecture \"" + name + "\"");
    if (arch == seccomp_arch_native()) continue;
    if (arch == SCMP_ARCH_X32 && !kernel_runs_x32()) continue;
    int rc = seccomp_arch_add(ctx, arch);
    if (rc < 0 && rc != -EEXIST) bad(source, "architecture " + name + ": " + strerror(-rc));
  }
}

std::vector<scmp_arg_cmp> args_of(const json& rule, const std::string& source) {
  std::vector<scmp_arg_cmp> out;
  for (const auto& a : rule.value("args", json::array())) {
    if (a.is_null()) continue;
    scmp_arg_cmp c{};
    c.arg = a.at("index").get<unsigned>();
    c.op = op_of(a.at("op").get<std::string>(), source);
    c.datum_a = a.value("value", uint64_t{0});
    c.datum_b = a.value("valueTwo", uint64_t{0});
    if (c.arg > 5) bad(source, "argument index " + std::to_string(c.arg) + " is out of range");
    out.push_back(c);
  }
  return out;
}

void add_rule(void* ctx, uint32_t action, int nr, const std::vector<scmp_arg_cmp>& args,
              const std::string& name, const std::string& source) {
  // Two conditions on one argument cannot be ANDed by libseccomp: like runc, each becomes a
  // rule of its own.
  bool repeated = false;
  for (size_t i = 0; i < args.size(); ++i)
    for (size_t j = i + 1; j < args.size(); ++j) repeated |= args[i].arg == args[j].arg;
  auto add = [&](unsigned count, const scmp_arg_cmp* a) {
    int rc = seccomp_rule_add_array(ctx, action, nr, count, a);
    if (rc < 0 && rc != -EEXIST && rc != -EACCES)
      bad(source, "rule for " + name + ": " + strerror(-rc));
  };
  if (!repeated) return add(static_cast<unsigned>(args.size()), args.data());
  for (const auto& a : args) add(1, &a);
}

void add_rules(void* ctx, const json& profile, uint32_t default_action, uint32_t default_errno,
               CapMask caps, const std::string& source) {
  for (const auto& rule : profile.value("syscalls", json::array())) {
    if (!rule_applies(rule, caps)) continue;
    uint32_t action = action_of(rule.at("action").get<std::string>(),
                                rule.value("errnoRet", json()), default_errno, source);
    if (action == default_action) continue;
    auto args = args_of(rule, source);
    std::vector<std::string> names;
    if (rule.contains("names")) names = rule["names"].get<std::vector<std::string>>();
    if (rule.contains("name")) names.push_back(rule["name"].get<std::string>());
    for (const auto& name : names) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // unknown to this libseccomp/arch: the default
      add_rule(ctx, action, nr, args, name, source);
    }
  }
}

std::vector<sock_filter> export_bpf(void* ctx, const std::string& source) {
  sys::UniqueFd mem(::memfd_create("seccomp-bpf", MFD_CLOEXEC));
  if (!mem) throw_errno("memfd_create", "seccomp", errno);
  int rc = seccomp_export_bpf(ctx, mem.get());
  if (rc < 0) bad(source, std::string("export: ") + strerror(-rc));
  off_t size = ::lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) bad(source, "export: empty program");
  std::vector<sock_filter> prog(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(mem.get(), prog.data(), static_cast<size_t>(size), 0) != size)
    throw_errno("read", "seccomp program", errno);
  return prog;
}

}  // namespace

std::vector<sock_filter> compile_seccomp_profile(const std::string& text, CapMask caps,
                                                 const std::string& source, bool compact) {
  json profile;
  try {
    profile = json::parse(text);
    if (!profile.is_object()) bad(source, "not a JSON object");
    const uint32_t default_errno = profile.value("defaultErrnoRet", uint32_t{EPERM});
    const uint32_t default_action =
        action_of(profile.value("defaultAction", ""), profile.value("defaultErrnoRet", json()),
                  EPERM, source);
    Ctx ctx(seccomp_init(default_action));
    if (!ctx) bad(source, "seccomp_init failed");
    // A syscall of an architecture the profile does not list must not slip through.
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
    add_architectures(ctx.get(), profile, source);
    add_rules(ctx.get(), profile, default_action, default_errno, caps, source);
    auto prog = export_bpf(ctx.get(), source);
    return compact ? compact_seccomp_program(prog) : prog;
  } catch (const json::exception& e) {
    bad(source, e.what());
  }
}

}  // namespace berth::core::runtime

namespace berth::core::runtime {

namespace {

uint64_t fnv1a(uint64_t h, std::string_view data) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string cache_key(const std::string& profile, CapMask caps) {
  utsname u{};
  ::uname(&u);
  const scmp_version* v = seccomp_version();
  uint64_t h = 0xcbf29ce484222325ULL;
  // 2: compacted programs; and a v1 entry made before x32 rules were left out had the key a
  // kernel without x32 computes now.
  h = fnv1a(h, "berth-seccomp-2\n");
  h = fnv1a(h, profile);
  h = fnv1a(h, std::to_string(caps) + "\n" + std::to_string(seccomp_arch_native()) +
                   (kernel_runs_x32() ? "+x32" : "") + "\n" + u.release + "\n" +
                   std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                   std::to_string(v->micro));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// A cache entry: the program, then the FNV-1a hash of its bytes (a torn or stale entry is
// never loaded into a container).
std::string_view bytes_of(const std::vector<sock_filter>& prog) {
  return {reinterpret_cast<const char*>(prog.data()), prog.size() * sizeof(sock_filter)};
}

uint64_t checksum(const std::vector<sock_filter>& prog) {
  return fnv1a(0xcbf29ce484222325ULL, bytes_of(prog));
}

std::optional<std::vector<sock_filter>> read_cached(const std::filesystem::path& file) {
  sys::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  constexpr off_t kSum = sizeof(uint64_t);
  if (!fd || ::fstat(fd.get(), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= kSum ||
      (st.st_size - kSum) % sizeof(sock_filter) != 0 ||
      st.st_size - kSum > static_cast<off_t>(BPF_MAXINSNS * sizeof(sock_filter)))
    return std::nullopt;
  std::vector<sock_filter> prog(static_cast<size_t>(st.st_size - kSum) / sizeof(sock_filter));
  uint64_t sum = 0;
  iovec iov[2] = {{prog.data(), static_cast<size_t>(st.st_size - kSum)}, {&sum, sizeof sum}};
  if (::preadv(fd.get(), iov, 2, 0) != st.st_size || sum != checksum(prog)) return std::nullopt;
  return prog;
}

}  // namespace

std::vector<sock_filter> cached_seccomp_program(const std::string& profile, CapMask caps,
                                                const std::string& source,
                                                const std::filesystem::path& cache_dir) {
  if (cache_dir.empty()) return compile_seccomp_profile(profile, caps, source);
  const auto file = cache_dir / (cache_key(profile, caps) + ".bpf");
  if (auto prog = read_cached(file)) return std::move(*prog);
  auto prog = compile_seccomp_profile(profile, caps, source);
  try {
    make_dirs(cache_dir);
    std::string entry(bytes_of(prog));
    const uint64_t sum = checksum(prog);
    entry.append(reinterpret_cast<const char*>(&sum), sizeof sum);
    write_file_atomic(file, entry, 0600, false);
  } catch (const Error&) {
    // A cache that cannot be written costs time, not correctness.
  }
  return prog;
}

}  // namespace berth::core::runtime
