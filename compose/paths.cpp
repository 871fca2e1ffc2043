// Path phase: relative paths in a document made absolute against a directory (the project
// directory, or an included project's / extended file's own directory). Idempotent:
// absolute paths and URLs are left alone.
#include <filesystem>

#include "compose/phases.h"

namespace berth::compose {
namespace fs = std::filesystem;
namespace {

using schema::Node;

bool is_remote(const std::string& s) {
  return s.find("://") != std::string::npos || s.rfind("git@", 0) == 0 ||
         s.rfind("github.com/", 0) == 0;
}

std::string absolute(const std::string& s, const std::string& dir, const LoadContext& ctx) {
  if (s.empty() || is_remote(s)) return s;
  if (s == "~" || s.rfind("~/", 0) == 0) {
    auto it = ctx.env.find("HOME");
    std::string home = it != ctx.env.end() ? it->second : "/root";
    return (fs::path(home) / s.substr(std::min<size_t>(2, s.size()))).lexically_normal().string();
  }
  fs::path p(s);
  if (p.is_absolute()) return s;
  std::string out = (fs::path(dir) / p).lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

void fix(Node* n, const std::string& dir, const LoadContext& ctx) {
  if (n && n->is_scalar()) n->set_scalar(absolute(n->scalar(), dir, ctx));
}

// A short volume spec "SRC:DST[:MODE]" whose SRC is a path ("." "/" "~").
void fix_volume(Node& v, const std::string& dir, const LoadContext& ctx) {
  if (v.is_map()) {
    const Node* type = v.find("type");
    if (type && type->is_scalar() && type->scalar() == "bind") fix(v.find("source"), dir, ctx);
    return;
  }
  if (!v.is_scalar()) return;
  const std::string& s = v.scalar();
  size_t colon = s.find(':');
  if (colon == std::string::npos) return;
  std::string src = s.substr(0, colon);
  if (src.empty() || !(src[0] == '.' || src[0] == '~')) return;
  v.set_scalar(absolute(src, dir, ctx) + s.substr(colon));
}

void fix_list(Node* n, const std::string& dir, const LoadContext& ctx, const char* key = nullptr) {
  if (!n) return;
  if (n->is_scalar()) return fix(n, dir, ctx);
  if (!n->is_seq()) return;
  for (Node& i : n->items()) {
    if (i.is_scalar())
      fix(&i, dir, ctx);
    else if (key && i.is_map())
      fix(i.find(key), dir, ctx);
  }
}

}  // namespace

void resolve_service_paths(Node& svc, const std::string& dir, const LoadContext& ctx) {
  if (!svc.is_map()) return;
  if (Node* b = svc.find("build")) {
    if (b->is_scalar())
      fix(b, dir, ctx);
    else if (b->is_map()) {
      if (!b->find("context")) b->set("context", Node::str(".", b->mark()));
      fix(b->find("context"), dir, ctx);
      if (Node* ac = b->find("additional_contexts"); ac && ac->is_map())
        for (auto& e : ac->entries())
          if (e.value.is_scalar() && e.value.scalar().find(':') == std::string::npos)
            fix(&e.value, dir, ctx);
    }
  }
  fix_list(svc.find("env_file"), dir, ctx, "path");
  fix_list(svc.find("label_file"), dir, ctx);
  if (Node* vols = svc.find("volumes"); vols && vols->is_seq())
    for (Node& v : vols->items()) fix_volume(v, dir, ctx);
  if (Node* ext = svc.find("extends"); ext && ext->is_map()) fix(ext->find("file"), dir, ctx);
}

void resolve_paths(Node& doc, const std::string& dir, const LoadContext& ctx) {
  if (Node* services = doc.find("services"); services && services->is_map())
    for (auto& e : services->entries()) resolve_service_paths(e.value, dir, ctx);
  for (const char* section : {"secrets", "configs"}) {
    Node* s = doc.find(section);
    if (!s || !s->is_map()) continue;
    for (auto& e : s->entries())
      if (e.value.is_map()) fix(e.value.find("file"), dir, ctx);
  }
}

}  // namespace berth::compose
