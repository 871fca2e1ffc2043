// Phase 3, extends: a service starts from another service of the same file or of
// `extends.file` (relative to the extending file), then its own keys are merged over it
// with the merge rules (merge.h). Chains are followed; a cycle is an error naming it.
#include <filesystem>
#include <map>

#include "compose/merge.h"
#include "compose/phases.h"
#include "compose/project_options.h"

namespace berth::compose {
namespace fs = std::filesystem;
namespace {

using schema::Node;

struct Ref {
  std::string file;  // absolute path, or the display name for stdin
  std::string service;
  bool operator<(const Ref& o) const {
    return std::tie(file, service) < std::tie(o.file, o.service);
  }
};

class ExtendsResolver {
 public:
  ExtendsResolver(LoadContext& ctx) : ctx_(ctx) {}

  void run(Node& doc, const SourceFile& file) {
    Node* services = doc.find("services");
    if (!services || !services->is_map()) return;
    docs_[file.path] = &doc;
    for (auto& e : services->entries()) {
      if (!e.value.is_map() || !e.value.find("extends")) continue;
      std::vector<Ref> stack;
      e.value = resolve(Ref{file.path, e.key}, file.name, stack);
    }
  }

 private:
  Node resolve(const Ref& ref, const std::string& shown, std::vector<Ref>& stack) {
    Node* doc = docs_.at(ref.file);
    Node& svc = *doc->find("services")->find(ref.service);
    const Node* ext = svc.is_map() ? svc.find("extends") : nullptr;
    if (!ext) return svc;
    std::string path = "services." + ref.service + ".extends";
    Ref base = target(*ext, ref, path);
    stack.push_back(ref);
    for (size_t i = 0; i < stack.size(); ++i) {
      if (stack[i].file == base.file && stack[i].service == base.service) {
        std::string cycle;
        for (size_t j = i; j < stack.size(); ++j) cycle += stack[j].service + " -> ";
        schema::fail_at(ext->mark(), path,
                        "circular reference with extends: " + cycle + base.service);
      }
    }
    std::string base_shown = base.file == ref.file ? shown : base.file;
    Node* base_services = docs_.at(base.file)->find("services");
    if (!base_services || !base_services->find(base.service))
      schema::fail_at(ext->mark(), path,
                      "cannot extend service \"" + ref.service + "\": service \"" + base.service +
                          "\" not found in " + base_shown);
    Node result = resolve(base, base_shown, stack);
    stack.pop_back();
    if (base.file != ref.file && base.file != "-")
      resolve_service_paths(result, fs::path(base.file).parent_path().string(), ctx_);
    Node own = svc;
    own.erase("extends");
    merge_service(result, std::move(own));
    result.set_mark(svc.mark());
    return result;
  }

  // The service named by `extends` (a name, or {service, file}); loads `file` once.
  Ref target(const Node& ext, const Ref& from, const std::string& path) {
    if (ext.is_scalar()) return Ref{from.file, ext.scalar()};
    const Node* service = ext.is_map() ? ext.find("service") : nullptr;
    if (!service || !service->is_scalar())
      schema::fail_at(ext.mark(), path, "extends requires `service`");
    const Node* file = ext.find("file");
    if (!file) return Ref{from.file, service->scalar()};
    fs::path dir = from.file == "-" ? fs::current_path() : fs::path(from.file).parent_path();
    fs::path p = (dir / file->scalar()).lexically_normal();
    if (!docs_.count(p.string())) {
      auto text = read_regular_file(p.string());
      if (!text)
        schema::fail_at(file->mark(), path + ".file",
                        "cannot read " + p.string() + ": no such file");
      SourceFile src{p.string(), p.string(), std::move(*text)};
      loaded_.push_back(std::make_unique<Node>(load_document(src, ctx_)));
      docs_[p.string()] = loaded_.back().get();
    }
    return Ref{p.string(), service->scalar()};
  }

  LoadContext& ctx_;
  std::map<std::string, Node*> docs_;
  std::vector<std::unique_ptr<Node>> loaded_;
};

}  // namespace

void apply_extends(Node& doc, const SourceFile& file, LoadContext& ctx) {
  ExtendsResolver(ctx).run(doc, file);
}

}  // namespace berth::compose
