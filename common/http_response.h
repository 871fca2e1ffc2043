// The pure rules berth applies to an HTTP download (Dockerfile `ADD <url>`), kept apart from
// the transfer (common/http_fetch.h) so unit tests cover them: the file name a download gets
// (BuildKit's source/http getFileName), the Last-Modified date (RFC 9110 §5.6.7 HTTP-date),
// the reason phrase of a status, and a URL made safe to print (userinfo password masked).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

// The `filename` parameter of a Content-Disposition header value (RFC 6266), preferring the
// RFC 8187 `filename*=UTF-8''...` form as Go's mime.ParseMediaType does, reduced to its last
// path component. nullopt when the header is malformed, has no filename, the filename ends
// in "/", or its base is empty, "." or "..".
std::optional<std::string> content_disposition_filename(std::string_view header);

// The last component of the URL's path (query and fragment ignored, percent-escapes decoded),
// or nullopt when the path is empty, "/" or ends in "." or "..".
std::optional<std::string> url_path_base(std::string_view url);

// BuildKit's name for a downloaded file: the Content-Disposition filename if there is one,
// else the last path component of the URL as written in the Dockerfile (not the URL a
// redirect led to, so that the name does not change when the redirect target does), else
// "download". Never empty, never contains "/", never "." or "..".
std::string download_filename(std::string_view requested_url, std::string_view content_disposition);

// Seconds since the epoch of an HTTP-date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
// and the obsolete RFC 850 and asctime forms (as Go's http.ParseTime). nullopt otherwise.
std::optional<time_t> parse_http_date(std::string_view value);

// The standard reason phrase of an HTTP status ("Not Found" for 404), "" when unknown. Used
// when the server sent none (HTTP/2 has no reason phrase).
std::string_view http_status_text(long status);

// The URL with the password of its userinfo replaced by "xxxxx" (Go's url.Redacted), so that
// messages never show it: "https://u:xxxxx@host/p". Other URLs are returned unchanged.
std::string redact_url(std::string_view url);

}  // namespace berth
