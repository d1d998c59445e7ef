#[path = "fixtures/language/support.rs"]
mod support;
use support::*;

fn make(kind: &str, n: usize) -> String {
    let cond = match kind {
        "paren" => format!("{}r.name == \"x\"{}", "(".repeat(n), ")".repeat(n)),
        "if" => {
            let mut s = String::new();
            for _ in 0..n {
                s.push_str("if r.name == \"a\" then false else ");
            }
            s.push_str("true");
            s
        }
        "any" => {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&format!("any x{i} in [1]: "));
            }
            s.push_str("true");
            s
        }
        "not" => format!("{}r.name == \"x\"", "not ".repeat(n)),
        "neg" => format!("{}1 == 1", "-".repeat(n)),
        "or" => vec!["r.name == \"x\""; n].join(" or "),
        "field" => format!("r.attributes{} == 1", ".a".repeat(n)),
        "index" => format!("r.attributes{} == 1", "[0]".repeat(n)),
        "list" => format!("count({}1{}) == 1", "[".repeat(n), "]".repeat(n)),
        "set" => format!("count({}1{}) == 1", "{".repeat(n), "}".repeat(n)),
        "mix" => format!(
            "count({}1{}) == 1",
            "[{(".repeat(n / 3),
            ")}]".repeat(n / 3)
        ),
        "fncall" => format!(
            "count({}1{}) == 1",
            "[lower(".repeat(n / 2),
            ")]".repeat(n / 2)
        ),
        _ => panic!(),
    };
    rule_src("", &format!("  deny if {cond}"))
}

#[test]
fn scratch() {
    let kind = std::env::var("KIND").unwrap();
    let n: usize = std::env::var("N").unwrap().parse().unwrap();
    let stage = std::env::var("STAGE").unwrap_or_default();
    let src = make(&kind, n);
    let mb: usize = std::env::var("MB").map(|s| s.parse().unwrap()).unwrap_or(2);
    let h = std::thread::Builder::new()
        .stack_size(if stage == "eval" {
            1024 << 20
        } else {
            mb << 20
        })
        .spawn(move || {
            let f = juris::diag::SourceFile::new("t.juris", src);
            if stage == "parse" {
                let r = juris::syntax::parse_file(0, &f);
                println!("parsed ok={}", r.is_ok());
                std::mem::forget(r);
                return;
            }
            match juris::PolicySet::compile(vec![f]) {
                Ok(set) => {
                    if stage != "eval" {
                        println!("check ok=true");
                    }
                    if stage == "eval" {
                        let set = std::sync::Arc::new(set);
                        let s2 = set.clone();
                        std::thread::Builder::new()
                            .stack_size(mb << 20)
                            .spawn(move || {
                                let inv = inventory(vec![subject()]);
                                let r = s2.evaluate(&inv, &juris::runner::RunOptions::new(today()));
                                println!("eval ok={}", r.is_ok());
                            })
                            .unwrap()
                            .join()
                            .unwrap();
                        std::mem::forget(set);
                        return;
                    }
                    std::mem::forget(set);
                }
                Err(d) => println!("err {}", d.render_plain().lines().next().unwrap_or("")),
            }
        })
        .unwrap();
    h.join().unwrap();
}
