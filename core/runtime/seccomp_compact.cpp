#include "core/runtime/seccomp_compact.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>

namespace berth::core::runtime {

namespace {

constexpr uint16_t kJeqK = BPF_JMP | BPF_JEQ | BPF_K;
constexpr uint16_t kJgtK = BPF_JMP | BPF_JGT | BPF_K;
constexpr uint16_t kJgeK = BPF_JMP | BPF_JGE | BPF_K;
constexpr uint16_t kJa = BPF_JMP | BPF_JA;
constexpr size_t kNowhere = SIZE_MAX;

bool is_jump(const sock_filter& f) {
  return BPF_CLASS(f.code) == BPF_JMP;
}
bool is_ret(const sock_filter& f) {
  return BPF_CLASS(f.code) == BPF_RET;
}

// A jump target while the new program is laid out: an index of the old program, or a
// position in the new one.
struct Target {
  bool old = false;
  size_t at = 0;
};

// An instruction of the new program; `t` is JA's target or a conditional's true branch.
struct Out {
  sock_filter f;
  Target t, fl;
};

// One test of a run: A == value goes to `target` (an old index); `next` is the old index
// of the following test.
struct Member {
  uint32_t value;
  size_t target;
  size_t next;
  bool skips_ret;  // the `JEQ k; RET` form: target is the RET right after the test
};

// How many jumps (not counting falling through to the next instruction) land on each index.
std::vector<int> entries_of(const std::vector<sock_filter>& p) {
  std::vector<int> in(p.size() + 1, 0);
  for (size_t i = 0; i < p.size(); ++i) {
    const sock_filter& f = p[i];
    if (!is_jump(f)) continue;
    auto land = [&](uint64_t off) {
      if (off != 0 && i + 1 + off <= p.size()) ++in[i + 1 + off];
    };
    if (f.code == kJa) {
      land(f.k);
    } else {
      land(f.jt);
      land(f.jf);
    }
  }
  return in;
}

// The test at i, when it can belong to the run (`first`: it starts it; `entered_by_pair`:
// the previous test was the `JEQ k; RET` form, whose mismatch jumps here).
std::optional<Member> member_at(const std::vector<sock_filter>& p, const std::vector<int>& in,
                                size_t i, bool first, bool entered_by_pair) {
  if (i >= p.size() || p[i].code != kJeqK) return std::nullopt;
  if (!first && in[i] != (entered_by_pair ? 1 : 0)) return std::nullopt;
  const sock_filter& f = p[i];
  if (f.jf == 0 && f.jt != 0) return Member{f.k, i + 1 + f.jt, i + 1, false};
  if (f.jt == 0 && f.jf == 1 && i + 1 < p.size() && is_ret(p[i + 1]))
    return Member{f.k, i + 1, i + 2, true};
  return std::nullopt;
}

// What a run becomes: for each target, the contiguous intervals of its values (a value
// repeated in the run keeps its first target), and the RETs it skipped over.
struct RunLayout {
  struct Interval {
    size_t target;
    uint32_t lo, hi;
  };
  std::vector<Interval> intervals;
  std::vector<size_t> rets;

  // Instructions: one per lone value, two per range, and a JA over the kept RETs.
  size_t size() const {
    size_t n = rets.empty() ? 0 : 1 + rets.size();
    for (const Interval& v : intervals) n += v.lo == v.hi ? 1 : 2;
    return n;
  }
};

RunLayout layout_of(const std::vector<Member>& run) {
  RunLayout l;
  std::map<size_t, std::set<uint32_t>> by_target;
  std::set<uint32_t> seen;
  for (const Member& m : run) {
    if (seen.insert(m.value).second) by_target[m.target].insert(m.value);
    if (m.skips_ret) l.rets.push_back(m.target);
  }
  for (const auto& [target, values] : by_target) {
    for (auto it = values.begin(); it != values.end();) {
      const uint32_t lo = *it;
      uint32_t hi = lo;
      for (++it; it != values.end() && hi != UINT32_MAX && *it == hi + 1; ++it) hi = *it;
      l.intervals.push_back({target, lo, hi});
    }
  }
  return l;
}

// Appends the range tests of a run to `out`; its kept RETs get positions in `pos`.
void lay_out_run(const std::vector<sock_filter>& p, const RunLayout& l, std::vector<Out>& out,
                 std::vector<size_t>& pos) {
  for (const RunLayout::Interval& v : l.intervals) {
    const size_t at = out.size();
    if (v.lo == v.hi) {
      out.push_back({BPF_JUMP(kJeqK, v.lo, 0, 0), {true, v.target}, {false, at + 1}});
    } else {
      out.push_back({BPF_JUMP(kJgeK, v.lo, 0, 0), {false, at + 1}, {false, at + 2}});
      out.push_back({BPF_JUMP(kJgtK, v.hi, 0, 0), {false, at + 2}, {true, v.target}});
    }
  }
  if (l.rets.empty()) return;
  const size_t after = out.size() + 1 + l.rets.size();
  out.push_back({BPF_JUMP(kJa, 0, 0, 0), {false, after}, {}});
  for (size_t r : l.rets) {
    pos[r] = out.size();
    out.push_back({p[r], {}, {}});
  }
}

}  // namespace

std::vector<sock_filter> compact_seccomp_program(const std::vector<sock_filter>& p) {
  const std::vector<int> in = entries_of(p);
  std::vector<Out> out;
  std::vector<size_t> pos(p.size() + 1, kNowhere);
  for (size_t i = 0; i < p.size();) {
    std::vector<Member> run;
    size_t j = i;
    bool pair = false;
    while (auto m = member_at(p, in, j, j == i, pair)) {
      run.push_back(*m);
      pair = m->skips_ret;
      j = m->next;
    }
    const RunLayout layout = run.size() >= 2 ? layout_of(run) : RunLayout{};
    if (run.size() >= 2 && layout.size() < j - i) {
      pos[i] = out.size();
      lay_out_run(p, layout, out, pos);
      i = j;
      continue;
    }
    // Kept as it is.
    const sock_filter& f = p[i];
    pos[i] = out.size();
    if (f.code == kJa)
      out.push_back({f, {true, i + 1 + f.k}, {}});
    else if (is_jump(f))
      out.push_back({f, {true, i + 1 + f.jt}, {true, i + 1 + f.jf}});
    else
      out.push_back({f, {}, {}});
    ++i;
  }
  pos[p.size()] = out.size();

  std::vector<sock_filter> result;
  result.reserve(out.size());
  for (size_t at = 0; at < out.size(); ++at) {
    sock_filter f = out[at].f;
    auto offset = [&](const Target& t) -> std::optional<size_t> {
      const size_t to = t.old ? (t.at <= p.size() ? pos[t.at] : kNowhere) : t.at;
      if (to == kNowhere || to <= at || to > out.size()) return std::nullopt;
      return to - at - 1;
    };
    if (f.code == kJa) {
      auto k = offset(out[at].t);
      if (!k || *k > UINT32_MAX) return p;
      f.k = static_cast<uint32_t>(*k);
    } else if (is_jump(f)) {
      auto t = offset(out[at].t), fl = offset(out[at].fl);
      if (!t || !fl || *t > UINT8_MAX || *fl > UINT8_MAX) return p;
      f.jt = static_cast<uint8_t>(*t);
      f.jf = static_cast<uint8_t>(*fl);
    }
    result.push_back(f);
  }
  return result;
}

}  // namespace berth::core::runtime
