;; Regular expressions over DFA tables built at compile time from
;; regex-automata's dense DFAs (`src/wasm/regex.rs`), searched the way
;; `regex_automata::dfa::regex::Regex` searches: a forward DFA finds the end of
;; the leftmost-first match, an anchored reverse DFA its start; empty matches
;; inside a UTF-8 sequence are skipped; `find_iter` steps over repeated empties.
;;
;; A regex {flags (1 utf8-empty, 2 always anchored), forward dfa, reverse dfa};
;; a dfa {classes count, eoi table, state flags, transitions, classes[256],
;; start states[257] (by the byte before the search, 256 = none)}.
;; State flags: 1 match, 2 dead, 4 quit.

(func $dfa_next (param $dfa i32) (param $s i32) (param $b i32) (result i32)
  (i32.load (i32.add (i32.load offset=12 (local.get $dfa))
    (i32.shl (i32.add (i32.mul (local.get $s) (i32.load (local.get $dfa)))
                      (i32.load8_u offset=16 (i32.add (local.get $dfa) (local.get $b))))
             (i32.const 2)))))

(func $dfa_flags (param $dfa i32) (param $s i32) (result i32)
  (i32.load8_u (i32.add (i32.load offset=8 (local.get $dfa)) (local.get $s))))

(func $dfa_start (param $dfa i32) (param $look i32) (result i32)
  (i32.load offset=272 (i32.add (local.get $dfa) (i32.shl (local.get $look) (i32.const 2)))))

(func $dfa_eoi (param $dfa i32) (param $s i32) (result i32)
  (i32.load (i32.add (i32.load offset=4 (local.get $dfa)) (i32.shl (local.get $s) (i32.const 2)))))

;; Leftmost-first match end at or after `start` (to the end of the text), or -1.
(func $find_fwd (param $dfa i32) (param $p i32) (param $len i32) (param $start i32) (result i32)
  (local $s i32) (local $at i32) (local $mat i32) (local $f i32)
  (if (i32.gt_s (local.get $start) (local.get $len)) (then (return (i32.const -1))))
  (local.set $mat (i32.const -1))
  (local.set $s (call $dfa_start (local.get $dfa)
    (select (i32.load8_u (i32.sub (i32.add (local.get $p) (local.get $start)) (i32.const 1))) (i32.const 256)
            (i32.gt_s (local.get $start) (i32.const 0)))))
  (local.set $at (local.get $start))
  (block $done
    (loop $l
      (br_if $done (i32.ge_s (local.get $at) (local.get $len)))
      (local.set $s (call $dfa_next (local.get $dfa) (local.get $s) (i32.load8_u (i32.add (local.get $p) (local.get $at)))))
      (local.set $f (call $dfa_flags (local.get $dfa) (local.get $s)))
      (if (local.get $f)
        (then
          (if (i32.and (local.get $f) (i32.const 1))
            (then (local.set $mat (local.get $at)))
            (else (return (local.get $mat))))))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (br $l)))
  (local.set $s (call $dfa_eoi (local.get $dfa) (local.get $s)))
  (if (i32.and (call $dfa_flags (local.get $dfa) (local.get $s)) (i32.const 1))
    (then (local.set $mat (local.get $len))))
  (local.get $mat))

;; Start of the match that ends at `end`, found by the anchored reverse DFA.
(func $find_rev (param $dfa i32) (param $p i32) (param $len i32) (param $start i32) (param $end i32) (result i32)
  (local $s i32) (local $at i32) (local $mat i32) (local $f i32)
  (local.set $mat (i32.const -1))
  (local.set $s (call $dfa_start (local.get $dfa)
    (select (i32.load8_u (i32.add (local.get $p) (local.get $end))) (i32.const 256)
            (i32.lt_s (local.get $end) (local.get $len)))))
  (local.set $at (local.get $end))
  (block $done
    (loop $l
      (br_if $done (i32.le_s (local.get $at) (local.get $start)))
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (local.set $s (call $dfa_next (local.get $dfa) (local.get $s) (i32.load8_u (i32.add (local.get $p) (local.get $at)))))
      (local.set $f (call $dfa_flags (local.get $dfa) (local.get $s)))
      (if (local.get $f)
        (then
          (if (i32.and (local.get $f) (i32.const 1))
            (then (local.set $mat (i32.add (local.get $at) (i32.const 1))))
            (else (return (local.get $mat))))))
      (br $l)))
  (if (i32.gt_s (local.get $start) (i32.const 0))
    (then (local.set $s (call $dfa_next (local.get $dfa) (local.get $s) (i32.load8_u (i32.sub (i32.add (local.get $p) (local.get $start)) (i32.const 1))))))
    (else (local.set $s (call $dfa_eoi (local.get $dfa) (local.get $s)))))
  (if (i32.and (call $dfa_flags (local.get $dfa) (local.get $s)) (i32.const 1))
    (then (local.set $mat (local.get $start))))
  (local.get $mat))

(func $char_boundary (param $p i32) (param $len i32) (param $i i32) (result i32)
  (if (result i32) (i32.ge_s (local.get $i) (local.get $len))
    (then (i32.const 1))
    (else (i32.ne (i32.and (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 0xC0)) (i32.const 0x80)))))

;; `try_search`: the match at or after `start` as (start, end), or (-1, -1).
(func $re_find (param $re i32) (param $p i32) (param $len i32) (param $start i32) (result i32 i32)
  (local $e i32) (local $s i32) (local $from i32)
  (local.set $e (call $find_fwd (i32.load offset=4 (local.get $re)) (local.get $p) (local.get $len) (local.get $start)))
  (if (i32.lt_s (local.get $e) (i32.const 0)) (then (return (i32.const -1) (i32.const -1))))
  (if (i32.and (i32.load (local.get $re)) (i32.const 1))
    (then
      (local.set $from (local.get $start))
      (block $done
        (loop $l
          (br_if $done (call $char_boundary (local.get $p) (local.get $len) (local.get $e)))
          (local.set $from (i32.add (local.get $from) (i32.const 1)))
          (local.set $e (call $find_fwd (i32.load offset=4 (local.get $re)) (local.get $p) (local.get $len) (local.get $from)))
          (if (i32.lt_s (local.get $e) (i32.const 0)) (then (return (i32.const -1) (i32.const -1))))
          (br $l)))))
  (if (i32.eq (local.get $e) (local.get $start)) (then (return (local.get $e) (local.get $e))))
  (if (i32.and (i32.load (local.get $re)) (i32.const 2)) (then (return (local.get $start) (local.get $e))))
  (local.set $s (call $find_rev (i32.load offset=8 (local.get $re)) (local.get $p) (local.get $len) (local.get $start) (local.get $e)))
  (local.get $s) (local.get $e))

(func $re_is_match (param $re i32) (param $h i32) (result i32)
  (call $re_find (local.get $re) (i32.load offset=4 (local.get $h)) (i32.load (local.get $h)) (i32.const 0))
  (drop)
  (i32.ge_s (i32.const 0)))

;; `Regex::split`: the pieces between successive matches, as a list of strings.
(func $re_split (param $re i32) (param $h i32) (result i32)
  (local $p i32) (local $len i32) (local $start i32) (local $last i32) (local $last_end i32)
  (local $ms i32) (local $me i32) (local $spans i32) (local $n i32) (local $cap i32) (local $new i32) (local $l i32) (local $i i32)
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $len (i32.load (local.get $h)))
  (local.set $last_end (i32.const -1))
  (local.set $cap (i32.const 8))
  (local.set $spans (call $alloc (i32.shl (local.get $cap) (i32.const 3))))
  (block $done
    (loop $l
      (call $re_find (local.get $re) (local.get $p) (local.get $len) (local.get $start))
      (local.set $me) (local.set $ms)
      (if (i32.and (i32.ge_s (local.get $me) (i32.const 0))
                   (i32.and (i32.eq (local.get $ms) (local.get $me)) (i32.eq (local.get $me) (local.get $last_end))))
        (then
          (local.set $start (i32.add (local.get $start) (i32.const 1)))
          (call $re_find (local.get $re) (local.get $p) (local.get $len) (local.get $start))
          (local.set $me) (local.set $ms)))
      (br_if $done (i32.lt_s (local.get $me) (i32.const 0)))
      (local.set $start (local.get $me))
      (local.set $last_end (local.get $me))
      (if (i32.eq (local.get $n) (local.get $cap))
        (then
          (local.set $new (call $alloc (i32.shl (local.get $cap) (i32.const 4))))
          (memory.copy (local.get $new) (local.get $spans) (i32.shl (local.get $cap) (i32.const 3)))
          (local.set $spans (local.get $new))
          (local.set $cap (i32.shl (local.get $cap) (i32.const 1)))))
      (i32.store (i32.add (local.get $spans) (i32.shl (local.get $n) (i32.const 3))) (local.get $last))
      (i32.store offset=4 (i32.add (local.get $spans) (i32.shl (local.get $n) (i32.const 3))) (local.get $ms))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $last (local.get $me))
      (br $l)))
  (local.set $l (call $list_new (i32.add (local.get $n) (i32.const 1))))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $list_set (local.get $l) (local.get $i)
        (call $mk_str (call $str_view
          (i32.add (local.get $p) (i32.load (i32.add (local.get $spans) (i32.shl (local.get $i) (i32.const 3)))))
          (i32.sub (i32.load offset=4 (i32.add (local.get $spans) (i32.shl (local.get $i) (i32.const 3))))
                   (i32.load (i32.add (local.get $spans) (i32.shl (local.get $i) (i32.const 3))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (call $list_set (local.get $l) (local.get $n)
    (call $mk_str (call $str_view (i32.add (local.get $p) (local.get $last)) (i32.sub (local.get $len) (local.get $last)))))
  (local.get $l))
