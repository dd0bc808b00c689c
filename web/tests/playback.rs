//! The playback clock's geometry: where a packet is and how many hops it has reached.

use wasm_bindgen_test::*;
use web::playback::{hops_reached, position, HOP_MS};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_packet_rests_on_each_hop_then_moves_to_the_next() {
    let points = [(0.0, 0.0), (100.0, 0.0), (100.0, 50.0)];
    assert_eq!(position(&points, -5.0), Some((0.0, 0.0)), "waiting at the source");
    assert_eq!(position(&points, 0.0), Some((0.0, 0.0)));
    assert_eq!(position(&points, HOP_MS * 0.2), Some((0.0, 0.0)), "resting on hop 1");
    let (x, y) = position(&points, HOP_MS * 0.9).unwrap();
    assert!(x > 50.0 && x < 100.0 && y == 0.0, "on its way to hop 2: {x}");
    assert_eq!(position(&points, HOP_MS), Some((100.0, 0.0)), "on hop 2");
    assert_eq!(position(&points, HOP_MS * 10.0), Some((100.0, 50.0)), "stays on the last hop");
    assert_eq!(position(&[], 10.0), None);
}

#[wasm_bindgen_test]
fn hops_reached_follow_the_clock() {
    assert_eq!(hops_reached(4, -1.0), 0);
    assert_eq!(hops_reached(4, 0.0), 1);
    assert_eq!(hops_reached(4, HOP_MS - 1.0), 1);
    assert_eq!(hops_reached(4, HOP_MS), 2);
    assert_eq!(hops_reached(4, HOP_MS * 99.0), 4);
    assert_eq!(hops_reached(0, 5.0), 0);
}
