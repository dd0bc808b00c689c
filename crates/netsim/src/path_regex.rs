//! `path_regex`: the regular expressions of ingress-nginx paths.
//!
//! With `use-regex` or `rewrite-target`, ingress-nginx writes each path as
//! `location ~* "^<path>"`: a case-insensitive PCRE regex anchored at the start of the URI.
//! https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/
//!
//! This is a small backtracking engine for what paths use: literals, `.`, `[...]`, groups
//! (capturing and `(?:`), `|`, `*`, `+`, `?`, `{n,m}`, `^`, `$` and `\` escapes (`\d`, `\w`, `\s`);
//! case-insensitive for ASCII. Work is bounded, so no input hangs.
//!
//! Where it differs from PCRE (nginx's `~* "^<path>"`): `^` is prepended to the whole
//! pattern, so every top-level alternative is anchored (PCRE anchors the first only); a lazy
//! quantifier (`*?`) is greedy; counted quantifiers (`{n}`, `{n,}`, `{n,m}`) take counts
//! up to 1000, a `{` that opens none is a literal (as in PCRE); POSIX classes are not
//! classes; lookaround and backreferences are refused and the path matches nothing.

#[derive(Debug)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Group(Vec<Vec<Piece>>, Option<usize>),
    Start,
    End,
}

#[derive(Debug)]
struct Piece {
    node: Node,
    min: usize,
    max: usize,
}

/// A parsed path regex.
#[derive(Debug)]
pub struct Regex {
    alts: Vec<Vec<Piece>>,
    groups: usize,
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    groups: usize,
    depth: usize,
}

impl Parser<'_> {
    fn alts(&mut self) -> Option<Vec<Vec<Piece>>> {
        self.depth += 1;
        if self.depth > 50 {
            return None;
        }
        let mut alts = vec![self.seq()?];
        while self.chars.get(self.pos) == Some(&'|') {
            self.pos += 1;
            alts.push(self.seq()?);
        }
        self.depth -= 1;
        Some(alts)
    }

    fn seq(&mut self) -> Option<Vec<Piece>> {
        let mut seq = Vec::new();
        while let Some(&c) = self.chars.get(self.pos) {
            if c == '|' || c == ')' {
                break;
            }
            self.pos += 1;
            let node = match c {
                '.' => Node::Any,
                '^' => Node::Start,
                '$' => Node::End,
                '\\' => {
                    let e = *self.chars.get(self.pos)?;
                    self.pos += 1;
                    match e {
                        'd' => Node::Class(vec![('0', '9')], false),
                        'w' => Node::Class(vec![('a', 'z'), ('0', '9'), ('_', '_')], false),
                        's' => Node::Class(vec![(' ', ' '), ('\t', '\t')], false),
                        other => Node::Char(other),
                    }
                }
                '[' => {
                    let neg = self.chars.get(self.pos) == Some(&'^');
                    if neg {
                        self.pos += 1;
                    }
                    let mut ranges = Vec::new();
                    let mut first = true;
                    loop {
                        let c = *self.chars.get(self.pos)?;
                        self.pos += 1;
                        if c == ']' && !first {
                            break;
                        }
                        first = false;
                        let lo = if c == '\\' {
                            let e = *self.chars.get(self.pos)?;
                            self.pos += 1;
                            e
                        } else {
                            c
                        };
                        if self.chars.get(self.pos) == Some(&'-')
                            && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']')
                        {
                            let hi = *self.chars.get(self.pos + 1)?;
                            self.pos += 2;
                            ranges.push((lo.to_ascii_lowercase(), hi.to_ascii_lowercase()));
                        } else {
                            ranges.push((lo.to_ascii_lowercase(), lo.to_ascii_lowercase()));
                        }
                    }
                    Node::Class(ranges, neg)
                }
                '(' => {
                    let capture = if self.chars.get(self.pos..self.pos + 2) == Some(&['?', ':']) {
                        self.pos += 2;
                        None
                    } else {
                        self.groups += 1;
                        Some(self.groups)
                    };
                    let alts = self.alts()?;
                    if self.chars.get(self.pos) != Some(&')') {
                        return None;
                    }
                    self.pos += 1;
                    Node::Group(alts, capture)
                }
                '*' | '+' | '?' => return None,
                other => Node::Char(other),
            };
            let bounds = match self.chars.get(self.pos) {
                Some('*') => Some((0, usize::MAX)),
                Some('+') => Some((1, usize::MAX)),
                Some('?') => Some((0, 1)),
                Some('{') => self.counted(),
                _ => None,
            };
            let (min, max) = bounds.unwrap_or((1, 1));
            if bounds.is_some() {
                self.pos += 1;
                // A lazy `?` after a quantifier is accepted and treated as greedy.
                if self.chars.get(self.pos) == Some(&'?') {
                    self.pos += 1;
                }
            }
            seq.push(Piece { node, min, max });
        }
        Some(seq)
    }
}

impl Parser<'_> {
    /// A counted quantifier at `pos` (`{n}`, `{n,}`, `{n,m}`, counts up to 1000): its bounds,
    /// leaving `pos` on the closing `}`. Anything else is not a quantifier (PCRE reads such a
    /// `{` as a literal) and `pos` is unchanged.
    fn counted(&mut self) -> Option<(usize, usize)> {
        let rest: String = self.chars.get(self.pos + 1..)?.iter().take_while(|c| **c != '}').collect();
        let close = self.pos + 1 + rest.chars().count();
        if self.chars.get(close) != Some(&'}') {
            return None;
        }
        let number = |s: &str| {
            (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse::<usize>().ok())
                .flatten()
                .filter(|n| *n <= 1000)
        };
        let (min, max) = match rest.split_once(',') {
            None => (number(&rest)?, number(&rest)?),
            Some((lo, "")) => (number(lo)?, usize::MAX),
            Some((lo, hi)) => (number(lo)?, number(hi)?),
        };
        if min > max {
            return None;
        }
        self.pos = close;
        Some((min, max))
    }
}

type Caps = Vec<Option<(usize, usize)>>;

struct Matcher<'a> {
    text: &'a [char],
    steps: usize,
}

impl Matcher<'_> {
    fn seq(
        &mut self,
        seq: &[Piece],
        pos: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(&mut Self, usize, &mut Caps) -> bool,
    ) -> bool {
        match seq.split_first() {
            None => k(self, pos, caps),
            Some((piece, rest)) => self.repeat(piece, rest, 0, pos, caps, k),
        }
    }

    fn repeat(
        &mut self,
        piece: &Piece,
        rest: &[Piece],
        count: usize,
        pos: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(&mut Self, usize, &mut Caps) -> bool,
    ) -> bool {
        self.steps += 1;
        if self.steps > 100_000 {
            return false;
        }
        if count < piece.max {
            let more = self.node(&piece.node, pos, caps, &mut |m: &mut Self, next, caps: &mut Caps| {
                // An empty iteration cannot make progress; stop repeating.
                if next == pos && count >= piece.min {
                    return false;
                }
                m.repeat(piece, rest, count + 1, next, caps, k)
            });
            if more {
                return true;
            }
        }
        count >= piece.min && self.seq(rest, pos, caps, k)
    }

    fn node(
        &mut self,
        node: &Node,
        pos: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(&mut Self, usize, &mut Caps) -> bool,
    ) -> bool {
        let c = self.text.get(pos).map(|c| c.to_ascii_lowercase());
        match node {
            Node::Char(want) => c == Some(want.to_ascii_lowercase()) && k(self, pos + 1, caps),
            Node::Any => c.is_some() && k(self, pos + 1, caps),
            Node::Class(ranges, neg) => match c {
                Some(c) => {
                    ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *neg && k(self, pos + 1, caps)
                }
                None => false,
            },
            Node::Start => pos == 0 && k(self, pos, caps),
            Node::End => pos == self.text.len() && k(self, pos, caps),
            Node::Group(alts, capture) => {
                for alt in alts {
                    let found = self.seq(alt, pos, caps, &mut |m: &mut Self, end, caps: &mut Caps| {
                        let Some(g) = capture else { return k(m, end, caps) };
                        let old = caps.get(*g).copied().flatten();
                        if let Some(slot) = caps.get_mut(*g) {
                            *slot = Some((pos, end));
                        }
                        if k(m, end, caps) {
                            return true;
                        }
                        if let Some(slot) = caps.get_mut(*g) {
                            *slot = old;
                        }
                        false
                    });
                    if found {
                        return true;
                    }
                }
                false
            }
        }
    }
}

impl Regex {
    /// `None` when `pattern` is not a regex this model understands.
    pub fn parse(pattern: &str) -> Option<Regex> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser { chars: &chars, pos: 0, groups: 0, depth: 0 };
        let alts = p.alts()?;
        (p.pos == chars.len()).then_some(Regex { alts, groups: p.groups })
    }

    /// Matches at the start of `text` (not necessarily to its end); the captures, group 0 the
    /// whole match.
    pub fn match_start(&self, text: &str) -> Option<Vec<Option<String>>> {
        let chars: Vec<char> = text.chars().collect();
        let mut m = Matcher { text: &chars, steps: 0 };
        let mut caps: Caps = vec![None; self.groups + 1];
        let mut end = None;
        let mut found = false;
        for alt in &self.alts {
            found = m.seq(alt, 0, &mut caps, &mut |_, e, _| {
                end = Some(e);
                true
            });
            if found {
                break;
            }
        }
        if !found {
            return None;
        }
        if let Some(slot) = caps.get_mut(0) {
            *slot = end.map(|e| (0, e));
        }
        Some(
            caps.iter()
                .map(|c| c.and_then(|(a, b)| chars.get(a..b)).map(|s| s.iter().collect::<String>()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(re: &str, text: &str) -> Option<Vec<Option<String>>> {
        Regex::parse(re).unwrap().match_start(text)
    }

    #[test]
    fn captures_like_the_rewrite_example() {
        // https://kubernetes.github.io/ingress-nginx/examples/rewrite/
        let re = Regex::parse("/something(/|$)(.*)").unwrap();
        let caps = re.match_start("/something/new").unwrap();
        assert_eq!(caps[2].as_deref(), Some("new"));
        assert_eq!(re.match_start("/something").unwrap()[2].as_deref(), Some(""));
        assert!(re.match_start("/other").is_none());
    }

    #[test]
    fn anchored_at_the_start_not_the_end() {
        assert_eq!(caps("/api", "/api/v1").unwrap()[0].as_deref(), Some("/api"));
        assert!(caps("/api", "/x/api").is_none());
        assert!(caps("/api$", "/api/v1").is_none());
        assert!(caps("/api$", "/api").is_some());
    }

    #[test]
    fn case_insensitive() {
        assert!(caps("/API", "/api").is_some());
        assert!(caps("/[a-c]+x", "/ABCX").is_some());
        assert!(caps("/\\w+", "/Hello").is_some());
    }

    #[test]
    fn classes_alternation_and_optional_groups() {
        assert_eq!(caps("/v[0-9]+/(users|orders)", "/v12/orders/7").unwrap()[1].as_deref(), Some("orders"));
        assert!(caps("/[^/]+/x", "/abc/x").is_some());
        assert!(caps("/[^/]+/x", "//x").is_none());
        assert!(caps("/\\d+", "/42").is_some());
        assert!(caps("/\\d+", "/x").is_none());
        let c = caps("/a(?:b)?(c)?", "/a").unwrap();
        assert_eq!(c[0].as_deref(), Some("/a"));
        assert_eq!(c[1], None);
        assert_eq!(caps("/a\\.b", "/a.b").unwrap()[0].as_deref(), Some("/a.b"));
        assert!(caps("/a\\.b", "/axb").is_none());
    }

    #[test]
    fn counted_quantifiers() {
        // ingress-nginx's e2e test/e2e/annotations/rewrite.go uses `/foo/bar/[a-z]{3}`.
        assert!(caps("/foo/bar/[a-z]{3}", "/foo/bar/bar").is_some());
        assert!(caps("/foo/bar/[a-z]{3}$", "/foo/bar/ba").is_none());
        assert!(caps("/v(\\d{1,2})/x", "/v12/x").is_some());
        assert!(caps("/v(\\d{1,2})/x", "/v123/x").is_none());
        assert_eq!(caps("/a{2,}", "/aaaa").unwrap()[0].as_deref(), Some("/aaaa"));
        // Not a quantifier: a literal `{`, as PCRE reads it.
        assert!(caps("/a{x}", "/a{x}").is_some());
        assert!(caps("/a{2", "/a{2").is_some());
        assert!(caps("/a}", "/a}").is_some());
    }

    #[test]
    fn greedy_then_backtracks() {
        let c = caps("/(.*)/(.*)", "/a/b/c").unwrap();
        assert_eq!(c[1].as_deref(), Some("a/b"));
        assert_eq!(c[2].as_deref(), Some("c"));
    }

    #[test]
    fn bad_patterns_are_refused_and_bad_inputs_end() {
        assert!(Regex::parse("/a(").is_none());
        assert!(Regex::parse("/a)").is_none());
        assert!(Regex::parse("*a").is_none());
        assert!(Regex::parse(&"(".repeat(1000)).is_none());
        assert!(Regex::parse("(((((a*)*)*)*)*)b").unwrap().match_start(&"a".repeat(40)).is_none());
    }
}
