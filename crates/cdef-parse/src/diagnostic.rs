//! Turning byte offsets into what people read: file, line, column, and the
//! offending line itself.
//!
//! Line directives (`# 42 "foo.h"` and `#line 42 "foo.h"`) re-map the lines
//! that follow them, so errors point into the header the user wrote rather
//! than into the string handed to `cdef()`.

use crate::lexer::{Token, TokenKind};
use crate::Span;

/// The file name cffi reports for text that no line directive has named.
pub const DEFAULT_FILE: &str = "<cdef source string>";

/// A position as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file name (from a line directive, else [`DEFAULT_FILE`]).
    pub file: String,
    /// 1-based line number, after line directives.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

/// Line starts and line directives of one source text.
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    src: &'a str,
    line_starts: Vec<u32>,
    /// `(physical line index of the directive, new line number of the next
    /// line, file)`, in source order.
    directives: Vec<(u32, u32, String)>,
}

impl<'a> SourceMap<'a> {
    /// Indexes `src`. Line directives are found by scanning its lines; a
    /// directive inside a comment is not seen because it would not be at the
    /// start of a line once comments are skipped by the tokenizer, so callers
    /// that have tokens should prefer [`SourceMap::with_tokens`].
    pub fn new(src: &'a str) -> SourceMap<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i as u32 + 1));
        SourceMap {
            src,
            line_starts,
            directives: Vec::new(),
        }
    }

    /// Indexes `src` and reads the line directives among its tokens.
    pub fn with_tokens(src: &'a str, tokens: &[Token]) -> SourceMap<'a> {
        let mut map = SourceMap::new(src);
        for tok in tokens.iter().filter(|t| t.kind == TokenKind::Directive) {
            if let Some((line, file)) = parse_line_directive(tok.span.text(src)) {
                let physical = map.line_index(tok.span.start);
                map.directives.push((physical, line, file));
            }
        }
        map
    }

    fn line_index(&self, offset: u32) -> u32 {
        (self.line_starts.partition_point(|&s| s <= offset) - 1) as u32
    }

    /// File, line and column of a byte offset.
    pub fn locate(&self, offset: u32) -> Location {
        let offset = offset.min(self.src.len() as u32);
        let index = self.line_index(offset);
        let line_start = self.line_starts[index as usize] as usize;
        let column = self
            .src
            .get(line_start..offset as usize)
            .map_or(0, |s| s.chars().count()) as u32
            + 1;
        let (file, line) = match self.directives.iter().rev().find(|(at, _, _)| *at < index) {
            Some((at, first, file)) => (file.clone(), first + (index - at - 1)),
            None => (DEFAULT_FILE.to_owned(), index + 1),
        };
        Location { file, line, column }
    }

    /// The whole physical line containing `offset`, without its newline.
    pub fn line_text(&self, offset: u32) -> &'a str {
        let index = self.line_index(offset.min(self.src.len() as u32)) as usize;
        let start = self.line_starts[index] as usize;
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.src.len(), |&e| e as usize);
        self.src[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Renders a message about `span` the way cffi-py reports cdef errors:
    ///
    /// ```text
    /// <cdef source string>:1:7: expected a parameter type, found ';'
    ///     int f(;
    ///           ^
    /// ```
    pub fn render(&self, span: Span, message: &str) -> String {
        let loc = self.locate(span.start);
        let line = self.line_text(span.start);
        // One caret per character of the span (not per byte), on its
        // line only.
        let spanned = self
            .src
            .get(span.start as usize..span.end as usize)
            .map_or(0, |s| s.chars().count());
        let width = spanned
            .min(line.chars().count().saturating_sub(loc.column as usize - 1))
            .max(1);
        let pad: String = line
            .chars()
            .take(loc.column as usize - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!(
            "{}:{}:{}: {message}\n    {line}\n    {pad}{}",
            loc.file,
            loc.line,
            loc.column,
            "^".repeat(width)
        )
    }
}

/// Reads `# 42 "file"` or `#line 42 "file"`; anything else is `None`.
pub(crate) fn parse_line_directive(text: &str) -> Option<(u32, String)> {
    let rest = text.strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("line").map_or(rest, str::trim_start);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let line = rest[..digits].parse().ok()?;
    let rest = rest[digits..].trim_start();
    let file = rest.strip_prefix('"')?;
    let end = file.find('"')?;
    Some((line, file[..end].to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize;

    #[test]
    fn default_file_lines_and_columns() {
        let src = "int a;\n  long b;";
        let map = SourceMap::new(src);
        assert_eq!(
            map.locate(9),
            Location {
                file: DEFAULT_FILE.into(),
                line: 2,
                column: 3
            }
        );
        assert_eq!(map.line_text(9), "  long b;");
    }

    #[test]
    fn carets_count_characters_not_bytes() {
        let src = "int f(\u{e9}t\u{e9});";
        let start = src.find('\u{e9}').unwrap() as u32;
        let end = start + "\u{e9}t\u{e9}".len() as u32;
        let map = SourceMap::new(src);
        let text = map.render(Span { start, end }, "no");
        assert!(text.ends_with("\n          ^^^"), "{text}");
    }

    #[test]
    fn line_directives_remap_following_lines() {
        let src = "int a;\n# 42 \"foo.h\"\nint b;\n#line 7 \"bar.h\"\n\nint c;";
        let tokens = tokenize(src).unwrap();
        let map = SourceMap::with_tokens(src, &tokens);
        let b = src.find("int b").unwrap() as u32;
        let c = src.find("int c").unwrap() as u32;
        assert_eq!(map.locate(b).line, 42);
        assert_eq!(map.locate(b).file, "foo.h");
        assert_eq!(map.locate(c).line, 8);
        assert_eq!(map.locate(c).file, "bar.h");
        assert_eq!(map.locate(0).file, DEFAULT_FILE);
    }

    #[test]
    fn render_points_at_the_token() {
        let src = "int f(;";
        let text = SourceMap::new(src).render(Span::new(6, 7), "oops");
        assert_eq!(
            text,
            "<cdef source string>:1:7: oops\n    int f(;\n          ^"
        );
    }
}
