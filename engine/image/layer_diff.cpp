#include "engine/image/layer_diff.h"

#include "common/error.h"

namespace berth::engine::image {

std::string write_layer_blob(int, const LayerTarOptions&, BlobWriter&) {
  throw Error("not written yet");
}

NewLayer add_layer_diff(Store&, int, const std::string&, const LayerTarOptions&) {
  throw Error("not written yet");
}

}  // namespace berth::engine::image
