// The WWW-Authenticate header of a registry's 401 (RFC 7235, as distribution's
// registry/client/auth/challenge parses it): one or more challenges, each a scheme and its
// parameters, e.g. Bearer realm="https://auth.example/token",service="reg",scope="repo:a:pull".
// Pure logic.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct Challenge {
  std::string scheme;                         // lowercased: "bearer", "basic"
  std::map<std::string, std::string> params;  // names lowercased, values unquoted
};

// The challenges of one header value; malformed parts are skipped (an empty result when
// nothing could be read).
std::vector<Challenge> parse_challenges(std::string_view header);

// The token of a token endpoint's JSON answer: "token", else "access_token"; "" when neither.
std::string token_from_response(const std::string& body);

}  // namespace berth::registry
