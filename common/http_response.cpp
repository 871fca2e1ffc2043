#include "common/http_response.h"

#include <cctype>
#include <cstring>
#include <vector>

#include "common/strings.h"

namespace berth {

namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 2045 token characters (Go's mime.isTokenChar).
bool is_token_char(char c) {
  return c > 0x20 && c < 0x7f && !std::strchr("()<>@,;:\\\"/[]?=", c);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes %XX escapes; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]);
    int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// One `name=value` parameter: value a token or a quoted-string. Advances s past it.
bool next_parameter(std::string_view& s, std::string* name, std::string* value) {
  s = trim(s);
  size_t eq = s.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view key = trim(s.substr(0, eq));
  if (key.empty()) return false;
  for (char c : key)
    if (!is_token_char(c)) return false;
  *name = ascii_lower(key);
  s = trim(s.substr(eq + 1));
  value->clear();
  if (!s.empty() && s.front() == '"') {
    size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      *value += s[i];
    }
    if (i >= s.size()) return false;  // unterminated quoted-string
    s.remove_prefix(i + 1);
  } else {
    size_t i = 0;
    while (i < s.size() && is_token_char(s[i])) ++i;
    if (i == 0) return false;
    *value = std::string(s.substr(0, i));
    s.remove_prefix(i);
  }
  s = trim(s);
  if (!s.empty() && s.front() != ';') return false;
  if (!s.empty()) s.remove_prefix(1);
  return true;
}

// RFC 8187 ext-value: charset'language'percent-encoded. UTF-8 and US-ASCII only, as Go.
std::optional<std::string> decode_ext_value(std::string_view v) {
  size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  std::string charset = ascii_lower(v.substr(0, q1));
  if (charset != "utf-8" && charset != "us-ascii") return std::nullopt;
  return percent_decode(v.substr(q2 + 1));
}

// The last "/"-separated component; nullopt for "", ".", "..".
std::optional<std::string> usable_base(std::string_view name) {
  if (name.empty() || name.back() == '/') return std::nullopt;
  size_t slash = name.rfind('/');
  std::string base(slash == std::string_view::npos ? name : name.substr(slash + 1));
  if (base.empty() || base == "." || base == ".." || base.find('\0') != std::string::npos)
    return std::nullopt;
  return base;
}

}  // namespace

std::optional<std::string> content_disposition_filename(std::string_view header) {
  std::string_view s = header;
  size_t semi = s.find(';');
  std::string_view type = trim(s.substr(0, semi));
  if (type.empty()) return std::nullopt;
  for (char c : type)
    if (!is_token_char(c)) return std::nullopt;
  if (semi == std::string_view::npos) return std::nullopt;
  s.remove_prefix(semi + 1);
  std::optional<std::string> plain, extended;
  std::string name, value;
  while (!trim(s).empty()) {
    if (!next_parameter(s, &name, &value)) return std::nullopt;
    if (name == "filename") plain = value;
    if (name == "filename*") {
      extended = decode_ext_value(value);
      if (!extended) return std::nullopt;
    }
  }
  const std::optional<std::string>& chosen = extended ? extended : plain;
  if (!chosen) return std::nullopt;
  return usable_base(*chosen);
}

std::optional<std::string> url_path_base(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view path = rest.substr(slash);
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // path.Base
  size_t last = path.rfind('/');
  std::optional<std::string> base = percent_decode(path.substr(last + 1));
  if (!base || base->find('/') != std::string::npos) return std::nullopt;
  return usable_base(*base);
}

std::string download_filename(std::string_view requested_url,
                              std::string_view content_disposition) {
  if (auto name = content_disposition_filename(content_disposition)) return *name;
  if (auto name = url_path_base(requested_url)) return *name;
  return "download";
}

std::optional<time_t> parse_http_date(std::string_view value) {
  static const char* const kFormats[] = {
      "%a, %d %b %Y %H:%M:%S GMT",  // IMF-fixdate
      "%A, %d-%b-%y %H:%M:%S GMT",  // RFC 850
      "%a %b %e %H:%M:%S %Y",       // asctime
  };
  std::string s(trim(value));
  for (const char* format : kFormats) {
    struct tm tm {};
    const char* end = ::strptime(s.c_str(), format, &tm);
    if (end && *end == '\0') return ::timegm(&tm);
  }
  return std::nullopt;
}

std::string_view http_status_text(long status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Requested Range Not Satisfiable";
    case 418:
      return "I'm a teapot";
    case 429:
      return "Too Many Requests";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

std::string redact_url(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t authority_end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, authority_end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  size_t colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start + colon + 1)) + "xxxxx" +
         std::string(url.substr(start + at));
}

}  // namespace berth
