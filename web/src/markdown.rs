//! Stories are Markdown from exercise files, which are untrusted: raw HTML is shown as text,
//! and links and images keep only http(s), relative and fragment addresses.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A scheme before any '/', '?' or '#': only web schemes.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => scheme == "http" || scheme == "https",
        _ => true,
    }
}

/// HTML for a Markdown text; every tag in it comes from the Markdown renderer.
pub fn to_html(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|e| match e {
            Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
                Event::Start(Tag::Link { link_type, dest_url: CowStr::from("#"), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
                Event::Start(Tag::Image { link_type, dest_url: CowStr::from(""), title, id })
            }
            e => e,
        });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}
