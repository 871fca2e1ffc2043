#include "core/state/names.h"

#include <sys/random.h>

#include <array>
#include <string_view>

#include "common/error.h"

namespace berth::core::state {

namespace {

constexpr std::array<std::string_view, 48> kAdjectives = {
    "admiring", "adoring",  "affectionate", "amazing",    "angry",         "awesome",   "blissful",
    "bold",     "brave",    "charming",     "clever",     "compassionate", "competent", "confident",
    "cool",     "dazzling", "determined",   "eager",      "ecstatic",      "elastic",   "elegant",
    "epic",     "exciting", "fervent",      "focused",    "friendly",      "gallant",   "gifted",
    "goofy",    "happy",    "hopeful",      "infallible", "jolly",         "keen",      "kind",
    "laughing", "loving",   "modest",       "nice",       "peaceful",      "priceless", "quirky",
    "relaxed",  "serene",   "sharp",        "stoic",      "vibrant",       "zealous"};

constexpr std::array<std::string_view, 48> kSurnames = {
    "albattani", "allen",    "babbage", "bardeen",  "bell",     "bohr",     "booth",
    "cerf",      "curie",    "darwin",  "dijkstra", "einstein", "euclid",   "euler",
    "fermat",    "feynman",  "galileo", "gauss",    "goldberg", "hamilton", "hawking",
    "hopper",    "hypatia",  "johnson", "kepler",   "knuth",    "lamarr",   "lovelace",
    "maxwell",   "mccarthy", "meitner", "morse",    "newton",   "noether",  "pascal",
    "pike",      "ritchie",  "shannon", "sinoussi", "tesla",    "thompson", "torvalds",
    "turing",    "volhard",  "wiles",   "wozniak",  "yalow",    "zhukovsky"};

bool name_char(char c, bool first) {
  bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return alnum || (!first && (c == '_' || c == '.' || c == '-'));
}

}  // namespace

std::string validate_name(const std::string& name) {
  std::string n = name.starts_with('/') ? name.substr(1) : name;
  bool ok = n.size() >= 2;
  for (size_t i = 0; ok && i < n.size(); ++i) ok = name_char(n[i], i == 0);
  if (!ok) {
    throw Error("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
                125);
  }
  return n;
}

std::string random_name() {
  unsigned char r[2] = {0, 0};
  if (::getrandom(r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) r[0] = r[1] = 7;
  std::string name(kAdjectives[r[0] % kAdjectives.size()]);
  name += '_';
  name += kSurnames[r[1] % kSurnames.size()];
  return name;
}

}  // namespace berth::core::state
