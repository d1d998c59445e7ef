//! Address globs, for the `glob()` builtin and for the resources an exception covers.

/// Glob matching: `*` matches any run of characters (including none), `?` exactly
/// one, `\` escapes the next character; everything else matches itself.
pub fn glob(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut ti, mut pi) = (0usize, 0usize);
    // Position after the last `*` and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi + 1, ti));
                pi += 1;
                continue;
            }
            Some('?') => true,
            Some('\\') if pi + 1 < p.len() && p[pi + 1] == t[ti] => {
                pi += 1;
                true
            }
            Some('\\') if pi + 1 < p.len() => false,
            Some(c) => *c == t[ti],
            None => false,
        };
        if step {
            ti += 1;
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics() {
        assert!(glob("module.a.aws_s3_bucket.b[\"x\"]", "module.a.*"));
        assert!(glob("abc", "a?c"));
        assert!(glob("abc", "*"));
        assert!(glob("", "*"));
        assert!(!glob("abc", "a?"));
        assert!(glob("a*c", "a\\*c"));
        assert!(!glob("abc", "a\\*c"));
        assert!(glob("aws_s3_bucket.logs", "*.logs"));
        assert!(!glob("aws_s3_bucket.logsx", "*.logs"));
        assert!(glob("xaaab", "*a*b"));
    }
}
