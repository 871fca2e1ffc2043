#include "registry/auth_challenge.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace berth::registry {

namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class ChallengeReader {
 public:
  explicit ChallengeReader(std::string_view s) : s_(s) {}

  std::vector<Challenge> read() {
    std::vector<Challenge> out;
    for (;;) {
      skip_separators();
      if (done()) return out;
      std::string scheme = token();
      if (scheme.empty()) return out;  // garbage: stop
      Challenge c{lowercase(scheme), {}};
      for (;;) {
        skip_spaces();
        size_t mark = i_;
        std::string name = token();
        skip_spaces();
        if (name.empty() || done() || s_[i_] != '=') {
          i_ = mark;  // the next challenge's scheme, or the end
          break;
        }
        ++i_;
        skip_spaces();
        c.params[lowercase(name)] = value();
        skip_spaces();
        if (!done() && s_[i_] == ',') ++i_;
      }
      out.push_back(std::move(c));
      if (!done() && i_ < s_.size() && !is_token_char(s_[i_]) && s_[i_] != ',') return out;
    }
  }

 private:
  bool done() const { return i_ >= s_.size(); }
  void skip_spaces() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  void skip_separators() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  std::string token() {
    size_t start = i_;
    while (!done() && is_token_char(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  std::string value() {
    if (done() || s_[i_] != '"') return token();
    ++i_;
    std::string out;
    while (!done() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (!done()) ++i_;  // the closing quote
    return out;
  }
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::vector<Challenge> parse_challenges(std::string_view header) {
  return ChallengeReader(header).read();
}

std::string token_from_response(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return "";
  for (const char* key : {"token", "access_token"})
    if (auto it = j.find(key); it != j.end() && it->is_string() && !it->get<std::string>().empty())
      return it->get<std::string>();
  return "";
}

}  // namespace berth::registry
