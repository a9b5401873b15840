// Links the addon against the symbols node provides at load time.
fn main() {
    napi_build::setup();
}
