//! Share links (`#/share/<data>`): an attempt's files round-trip, and damaged or oversized
//! links are refused with a message instead of a panic (the data comes from whoever sent the
//! link).

use exercises::share::{decode, encode, PREFIX};

#[test]
fn share_links_round_trip_and_reject_damage() {
    let files = vec![("service.yaml".to_string(), "kind: Service\n# ünïcode ✓\n".to_string())];
    let link = encode("first-service", &files);
    assert!(link.starts_with(PREFIX));
    let back = decode(&link).unwrap();
    assert_eq!(back.exercise, "first-service");
    assert_eq!(back.files.get("service.yaml").map(String::as_str), Some(files[0].1.as_str()));
    for bad in ["#/share/", "#/share/!!!!", "#/share/AAAA", "#/elsewhere", &link[..link.len() - 5]] {
        assert!(decode(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_deflate_bomb_is_refused_as_too_large() {
    // 10 MB of one letter deflates to a short link.
    let bomb = encode("first-service", &[("service.yaml".to_string(), "0".repeat(10 << 20))]);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    assert!(decode(&bomb).unwrap_err().contains("too large"));
}

#[test]
fn the_capstone_solution_fits_a_link_learners_can_send() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../exercises/11-capstones/02-production-entry.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let capstone =
        exercises::load("11-capstones/02-production-entry.yaml", &text).exercise.expect("capstone loads");
    let files: Vec<(String, String)> =
        capstone.solution.iter().map(|f| (f.name.clone(), f.text.clone())).collect();
    let link = encode(&capstone.id, &files);
    assert!(link.len() < 8 * 1024, "{} characters", link.len());
    assert_eq!(decode(&link).unwrap().files.len(), files.len());
}
