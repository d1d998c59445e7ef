//! Keys compared as people write them: `data-classification`, `DataClassification` and
//! `data_classification` are one tag key, for the evaluator's `tag()`, the WebAssembly
//! backend's string table and the reports alike.

/// Canonical form of a tag key: lower case without separators, so
/// `data-classification`, `data_classification` and `DataClassification` agree.
pub fn canonical_key(k: &str) -> impl Iterator<Item = char> + '_ {
    k.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.' | ':' | '/'))
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_keys_agree() {
        let c = |s: &str| canonical_key(s).collect::<String>();
        assert_eq!(c("data-classification"), c("DataClassification"));
        assert_eq!(c("data_classification"), c("Data Classification"));
    }
}
