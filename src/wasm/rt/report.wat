;; The runner (`runner::run`) and the ABI: read the document, evaluate every rule
;; over every resource, apply exceptions, and write the report exactly as
;; `serde_json::to_string_pretty(&report)` followed by a newline.
;;
;; Resources are visited in report order (address, then input), and rules in id
;; order, so findings are written as they are found, already sorted.
;;
;; A rule {id, title, enforcement, severity text, undetermined blocks, function
;; index, exceptions [count][exceptions], enforcement text}; an exception {name,
;; rule, globs [count][headers], reason, approved_by, expires, expires text,
;; ticket or 0, position text, index}.

(type $rule_fn (func (param i32 i32) (result i32)))

(global $today (mut i32) (i32.const 0))
(global $fail_on (mut i32) (i32.const 1))
(global $nres (mut i32) (i32.const 0))
(global $sorted (mut i32) (i32.const 0))
(global $msg (mut i32) (i32.const 0))
;; Observations of the explain run: entries {label, pad, value}.
(global $obs (mut i32) (i32.const 0))
(global $obs_n (mut i32) (i32.const 0))
(global $obs_cap (mut i32) (i32.const 0))
(global $seen (mut i32) (i32.const 0))
(global $stamp (mut i32) (i32.const 0))
;; Exception matches: entries {exception index, address}.
(global $matches (mut i32) (i32.const 0))
(global $matches_n (mut i32) (i32.const 0))
(global $matches_cap (mut i32) (i32.const 0))
;; Summary counters.
(global $n_findings (mut i32) (i32.const 0))
(global $evaluated (mut i32) (i32.const 0))
(global $passed (mut i32) (i32.const 0))
(global $violations (mut i32) (i32.const 0))
(global $undetermined (mut i32) (i32.const 0))
(global $excepted (mut i32) (i32.const 0))
(global $blocking (mut i32) (i32.const 0))

(func $observe (param $label i32) (param $v i64)
  (local $new i32)
  (if (i32.eq (global.get $obs_n) (global.get $obs_cap))
    (then
      (local.set $new (call $alloc_p (i32.shl (i32.add (global.get $obs_cap) (i32.const 16)) (i32.const 5))))
      (memory.copy (local.get $new) (global.get $obs) (i32.shl (global.get $obs_cap) (i32.const 4)))
      (global.set $obs (local.get $new))
      (global.set $obs_cap (i32.shl (i32.add (global.get $obs_cap) (i32.const 16)) (i32.const 1)))))
  (i32.store (i32.add (global.get $obs) (i32.shl (global.get $obs_n) (i32.const 4))) (local.get $label))
  (i64.store offset=8 (i32.add (global.get $obs) (i32.shl (global.get $obs_n) (i32.const 4))) (local.get $v))
  (global.set $obs_n (i32.add (global.get $obs_n) (i32.const 1))))

(func $obs_drain (param $start i32) (param $end i32)
  ;; Remove observations start..end, keeping the ones after them in order.
  (memory.copy
    (i32.add (global.get $obs) (i32.shl (local.get $start) (i32.const 4)))
    (i32.add (global.get $obs) (i32.shl (local.get $end) (i32.const 4)))
    (i32.shl (i32.sub (global.get $obs_n) (local.get $end)) (i32.const 4)))
  (global.set $obs_n (i32.sub (global.get $obs_n) (i32.sub (local.get $end) (local.get $start)))))

(func $add_match (param $e i32) (param $addr i32)
  (local $new i32)
  (if (i32.eq (global.get $matches_n) (global.get $matches_cap))
    (then
      (local.set $new (call $alloc_p (i32.shl (i32.add (global.get $matches_cap) (i32.const 16)) (i32.const 4))))
      (memory.copy (local.get $new) (global.get $matches) (i32.shl (global.get $matches_cap) (i32.const 3)))
      (global.set $matches (local.get $new))
      (global.set $matches_cap (i32.shl (i32.add (global.get $matches_cap) (i32.const 16)) (i32.const 1)))))
  (i32.store (i32.add (global.get $matches) (i32.shl (global.get $matches_n) (i32.const 3))) (local.get $e))
  (i32.store offset=4 (i32.add (global.get $matches) (i32.shl (global.get $matches_n) (i32.const 3))) (local.get $addr))
  (global.set $matches_n (i32.add (global.get $matches_n) (i32.const 1))))

;; Report order of resources: address, then input (none first). Sorting compares
;; keys copied side by side {address, input, resource}, so the comparisons stay
;; in cache instead of chasing strings across the input.
(func $cmp_resources (param $a i32) (param $b i32) (result i32)
  (local $o i32)
  (local.set $o (call $str_cmp (i32.load (local.get $a)) (i32.load (local.get $b))))
  (if (result i32) (local.get $o)
    (then (local.get $o))
    (else (call $opt_str_cmp (i32.load offset=4 (local.get $a)) (i32.load offset=4 (local.get $b))))))

(func $copy_str (param $h i32) (result i32)
  (local $c i32)
  (if (i32.eqz (local.get $h)) (then (return (i32.const 0))))
  (local.set $c (call $str_new (i32.load (local.get $h))))
  (memory.copy (i32.load offset=4 (local.get $c)) (i32.load offset=4 (local.get $h)) (i32.load (local.get $h)))
  (local.get $c))

;; The resources in report order: a fresh array of record pointers.
(func $sort_resources (param $list i32) (result i32)
  (local $n i32) (local $i i32) (local $keys i32) (local $k i32) (local $r i32) (local $ptrs i32) (local $out i32)
  (local.set $n (i32.load (local.get $list)))
  (local.set $keys (call $alloc (i32.mul (local.get $n) (i32.const 12))))
  (local.set $ptrs (call $alloc (i32.shl (local.get $n) (i32.const 2))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $r (i32.load offset=4 (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $k (i32.add (local.get $keys) (i32.mul (local.get $i) (i32.const 12))))
      (i32.store (local.get $k) (call $copy_str (i32.load (local.get $r))))
      (i32.store offset=4 (local.get $k) (call $copy_str (i32.load offset=20 (local.get $r))))
      (i32.store offset=8 (local.get $k) (local.get $r))
      (i32.store (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2))) (local.get $k))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (call $sort_ptrs (local.get $ptrs) (local.get $n) (i32.const 0))
  (local.set $out (call $alloc_p (i32.shl (local.get $n) (i32.const 2))))
  (local.set $i (i32.const 0))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (i32.load offset=8 (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $out))

(func $cmp_strings (param $a i32) (param $b i32) (result i32)
  (call $str_cmp (local.get $a) (local.get $b)))

(func $w_outcome (param $o i32)
  (call $w_json_str (select (i32.const %S_VIOLATION%) (select (i32.const %S_UNDETERMINED%) (i32.const %S_EXCEPTED%)
    (i32.eq (local.get $o) (i32.const 3))) (i32.eq (local.get $o) (i32.const 2)))))

(func $w_int_member (param $i i32) (param $key i32) (param $level i32) (param $v i32)
  (call $w_member (local.get $i) (local.get $key) (local.get $level))
  (call $sb_i64 (i64.extend_i32_u (local.get $v))))

(func $w_str_member (param $i i32) (param $key i32) (param $level i32) (param $h i32)
  (call $w_member (local.get $i) (local.get $key) (local.get $level))
  (call $w_json_str (local.get $h)))

(func $w_exception_ref (param $e i32) (param $level i32)
  (call $sb_byte (i32.const 123))
  (call $w_str_member (i32.const 0) (i32.const %S_F_NAME%) (local.get $level) (i32.load (local.get $e)))
  (call $w_str_member (i32.const 1) (i32.const %S_F_REASON%) (local.get $level) (i32.load offset=12 (local.get $e)))
  (call $w_str_member (i32.const 1) (i32.const %S_F_APPROVED_BY%) (local.get $level) (i32.load offset=16 (local.get $e)))
  (call $w_str_member (i32.const 1) (i32.const %S_F_EXPIRES%) (local.get $level) (i32.load offset=24 (local.get $e)))
  (if (i32.load offset=28 (local.get $e))
    (then (call $w_str_member (i32.const 1) (i32.const %S_F_TICKET%) (local.get $level) (i32.load offset=28 (local.get $e)))))
  (call $w_close (i32.const 1) (local.get $level) (i32.const 125)))

(func $w_str_array (param $list i32) (param $level i32)
  (local $i i32) (local $n i32)
  (local.set $n (i32.load (local.get $list)))
  (call $sb_byte (i32.const 91))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $w_sep (local.get $i) (i32.add (local.get $level) (i32.const 1)))
      (call $w_json_str (i32.load offset=4 (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (call $w_close (local.get $n) (local.get $level) (i32.const 93)))

;; Rule buffers: the findings text of each rule {data, len, cap}. Resources are
;; visited one after the other (each resource's data is read by every rule while
;; it is in cache); findings are written to their rule's buffer and joined in
;; rule order at the end.
(global $rule_bufs (mut i32) (i32.const 0))

(func $buffer_finding (param $j i32) (param $mark i32)
  (local $b i32) (local $n i32) (local $cap i32) (local $new i32)
  (local.set $b (i32.add (global.get $rule_bufs) (i32.mul (local.get $j) (i32.const 12))))
  (local.set $n (i32.sub (global.get $sb_len) (local.get $mark)))
  (if (i32.gt_u (i32.add (i32.load offset=4 (local.get $b)) (local.get $n)) (i32.load offset=8 (local.get $b)))
    (then
      (local.set $cap (i32.shl (i32.load offset=8 (local.get $b)) (i32.const 1)))
      (if (i32.lt_u (local.get $cap) (i32.add (i32.load offset=4 (local.get $b)) (local.get $n)))
        (then (local.set $cap (i32.add (i32.load offset=4 (local.get $b)) (local.get $n)))))
      (if (i32.lt_u (local.get $cap) (i32.const 4096)) (then (local.set $cap (i32.const 4096))))
      (local.set $new (call $alloc_p (local.get $cap)))
      (memory.copy (local.get $new) (i32.load (local.get $b)) (i32.load offset=4 (local.get $b)))
      (i32.store (local.get $b) (local.get $new))
      (i32.store offset=8 (local.get $b) (local.get $cap))))
  (memory.copy (i32.add (i32.load (local.get $b)) (i32.load offset=4 (local.get $b))) (i32.add (global.get $sb) (local.get $mark)) (local.get $n))
  (i32.store offset=4 (local.get $b) (i32.add (i32.load offset=4 (local.get $b)) (local.get $n)))
  (global.set $sb_len (local.get $mark)))

;; Evaluate rule `rule` (the `j`-th in id order) on resource `r`.
(func $run_rule (param $rule i32) (param $j_rule i32) (param $r i32)
  (local $m i32) (local $o i32) (local $fn i32) (local $excs i32) (local $ne i32) (local $mark i32)
  (local $j i32) (local $e i32) (local $g i32) (local $ng i32) (local $hit i32) (local $applied i32) (local $expired i32)
  (local $waived i32) (local $block i32) (local $k i32) (local $label i32) (local $nev i32)
  (local.set $fn (i32.load offset=20 (local.get $rule)))
  (local.set $excs (i32.load offset=24 (local.get $rule)))
  (local.set $ne (i32.load (local.get $excs)))
  (block $res
      (local.set $m (global.get $heap))
      (local.set $o (call_indirect (type $rule_fn) (local.get $r) (i32.const 0) (local.get $fn)))
      (if (i32.eqz (local.get $o)) (then (call $release (local.get $m)) (br $res)))
      (global.set $evaluated (i32.add (global.get $evaluated) (i32.const 1)))
      (if (i32.eq (local.get $o) (i32.const 1))
        (then (global.set $passed (i32.add (global.get $passed) (i32.const 1))) (call $release (local.get $m)) (br $res)))
      ;; A finding: re-run recording evidence and rendering the message.
      (global.set $obs_n (i32.const 0))
      (drop (call_indirect (type $rule_fn) (local.get $r) (i32.const 1) (local.get $fn)))
      (local.set $applied (i32.const 0))
      (local.set $expired (i32.const 0))
      (local.set $waived (i32.const 0))
      (local.set $j (i32.const 0))
      (block $exc_done
        (loop $exc
          (br_if $exc_done (i32.ge_u (local.get $j) (local.get $ne)))
          (local.set $e (i32.load offset=4 (i32.add (local.get $excs) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (local.set $g (i32.load offset=8 (local.get $e)))
          (local.set $ng (i32.load (local.get $g)))
          (local.set $hit (i32.const 0))
          (local.set $k (i32.const 0))
          (block $glob_done
            (loop $globs
              (br_if $glob_done (i32.ge_u (local.get $k) (local.get $ng)))
              (if (call $glob (i32.load (local.get $r)) (i32.load offset=4 (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 2)))))
                (then (local.set $hit (i32.const 1)) (br $glob_done)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $globs)))
          (br_if $exc (i32.eqz (local.get $hit)))
          (call $add_match (i32.load offset=36 (local.get $e)) (i32.load (local.get $r)))
          (if (i32.lt_s (i32.load offset=20 (local.get $e)) (global.get $today))
            (then (if (i32.eqz (local.get $expired)) (then (local.set $expired (local.get $e)))))
            (else
              (if (i32.eqz (local.get $applied))
                (then
                  (local.set $applied (local.get $e))
                  (local.set $waived (local.get $o))
                  (local.set $o (i32.const 4))))))
          (br $exc)))
      (local.set $block (i32.and
        (i32.ge_u (i32.load offset=8 (local.get $rule)) (global.get $fail_on))
        (i32.or (i32.eq (local.get $o) (i32.const 2))
                (i32.and (i32.eq (local.get $o) (i32.const 3)) (i32.load offset=16 (local.get $rule))))))
      (if (i32.eq (local.get $o) (i32.const 2)) (then (global.set $violations (i32.add (global.get $violations) (i32.const 1)))))
      (if (i32.eq (local.get $o) (i32.const 3)) (then (global.set $undetermined (i32.add (global.get $undetermined) (i32.const 1)))))
      (if (i32.eq (local.get $o) (i32.const 4)) (then (global.set $excepted (i32.add (global.get $excepted) (i32.const 1)))))
      (if (local.get $block) (then (global.set $blocking (i32.add (global.get $blocking) (i32.const 1)))))
      ;; The finding object, with a leading `,` (dropped from the first when joined).
      (local.set $mark (global.get $sb_len))
      (call $w_sep (i32.const 1) (i32.const 2))
      (global.set $n_findings (i32.add (global.get $n_findings) (i32.const 1)))
      (call $sb_byte (i32.const 123))
      (call $w_str_member (i32.const 0) (i32.const %S_F_RULE%) (i32.const 2) (i32.load (local.get $rule)))
      (call $w_member (i32.const 1) (i32.const %S_F_OUTCOME%) (i32.const 2))
      (call $w_outcome (local.get $o))
      (call $w_str_member (i32.const 1) (i32.const %S_F_ENFORCEMENT%) (i32.const 2) (i32.load offset=28 (local.get $rule)))
      (call $w_str_member (i32.const 1) (i32.const %S_F_SEVERITY%) (i32.const 2) (i32.load offset=12 (local.get $rule)))
      (call $w_str_member (i32.const 1) (i32.const %S_F_ADDRESS%) (i32.const 2) (i32.load (local.get $r)))
      (if (i32.load offset=20 (local.get $r))
        (then (call $w_str_member (i32.const 1) (i32.const %S_F_INPUT%) (i32.const 2) (i32.load offset=20 (local.get $r)))))
      (call $w_str_member (i32.const 1) (i32.const %S_F_MESSAGE%) (i32.const 2) (global.get $msg))
      (call $w_member (i32.const 1) (i32.const %S_F_EVIDENCE%) (i32.const 2))
      ;; Evidence: the first observation of each label, in observation order.
      (global.set $stamp (i32.add (global.get $stamp) (i32.const 1)))
      (call $sb_byte (i32.const 123))
      (local.set $nev (i32.const 0))
      (local.set $k (i32.const 0))
      (block $ev_done
        (loop $ev
          (br_if $ev_done (i32.ge_u (local.get $k) (global.get $obs_n)))
          (local.set $label (i32.load (i32.add (global.get $obs) (i32.shl (local.get $k) (i32.const 4)))))
          (if (i32.ne (i32.load (i32.add (global.get $seen) (i32.shl (local.get $label) (i32.const 2)))) (global.get $stamp))
            (then
              (i32.store (i32.add (global.get $seen) (i32.shl (local.get $label) (i32.const 2))) (global.get $stamp))
              (call $w_member (local.get $nev) (i32.load offset=4 (i32.add (i32.const %LABELS%) (i32.shl (local.get $label) (i32.const 2)))) (i32.const 3))
              (call $w_value (i64.load offset=8 (i32.add (global.get $obs) (i32.shl (local.get $k) (i32.const 4)))) (i32.const 4))
              (local.set $nev (i32.add (local.get $nev) (i32.const 1)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $ev)))
      (call $w_close (local.get $nev) (i32.const 3) (i32.const 125))
      (call $w_member (i32.const 1) (i32.const %S_F_EXCEPTION%) (i32.const 2))
      (if (local.get $applied)
        (then (call $w_exception_ref (local.get $applied) (i32.const 3)))
        (else (call $sb_str (i32.const %S_NULL%))))
      (if (local.get $expired)
        (then
          (call $w_member (i32.const 1) (i32.const %S_F_EXPIRED_EXCEPTION%) (i32.const 2))
          (call $w_exception_ref (local.get $expired) (i32.const 3))))
      (call $w_member (i32.const 1) (i32.const %S_F_BLOCKING%) (i32.const 2))
      (call $sb_str (select (i32.const %S_TRUE%) (i32.const %S_FALSE%) (local.get $block)))
      (if (local.get $applied)
        (then
          (call $w_member (i32.const 1) (i32.const %S_F_WAIVED_OUTCOME%) (i32.const 2))
          (call $w_outcome (local.get $waived))))
      (call $w_close (i32.const 1) (i32.const 2) (i32.const 125))
      (call $buffer_finding (local.get $j_rule) (local.get $mark))
      (call $release (local.get $m))))

(func $w_exceptions
  (local $n i32) (local $i i32) (local $e i32) (local $j i32) (local $list i32) (local $k i32) (local $state i32)
  (local $expired_n i32) (local $stale_n i32) (local $c i32) (local $fresh i32)
  (local.set $n (i32.load (i32.const %EXCEPTIONS%)))
  (call $w_member (i32.const 1) (i32.const %S_F_EXCEPTIONS%) (i32.const 0))
  (call $sb_byte (i32.const 91))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (i32.load offset=4 (i32.add (i32.const %EXCEPTIONS%) (i32.shl (local.get $i) (i32.const 2)))))
      ;; Its matched addresses, sorted and without repeats.
      (local.set $list (call $alloc (i32.add (i32.const 4) (i32.shl (global.get $matches_n) (i32.const 2)))))
      (local.set $k (i32.const 0))
      (local.set $j (i32.const 0))
      (block $d2
        (loop $y
          (br_if $d2 (i32.ge_u (local.get $j) (global.get $matches_n)))
          (if (i32.eq (i32.load (i32.add (global.get $matches) (i32.shl (local.get $j) (i32.const 3)))) (local.get $i))
            (then
              (i32.store offset=4 (i32.add (local.get $list) (i32.shl (local.get $k) (i32.const 2)))
                (i32.load offset=4 (i32.add (global.get $matches) (i32.shl (local.get $j) (i32.const 3)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $y)))
      (call $sort_ptrs (i32.add (local.get $list) (i32.const 4)) (local.get $k) (i32.const 1))
      (local.set $c (i32.const 0))
      (local.set $j (i32.const 0))
      (block $d3
        (loop $z
          (br_if $d3 (i32.ge_u (local.get $j) (local.get $k)))
          (local.set $fresh (i32.const 1))
          (if (local.get $c)
            (then (local.set $fresh (i32.eqz (call $str_eq (i32.load offset=4 (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 2))))
                                                          (i32.load (i32.add (local.get $list) (i32.shl (local.get $c) (i32.const 2)))))))))
          (if (local.get $fresh)
            (then
              (i32.store offset=4 (i32.add (local.get $list) (i32.shl (local.get $c) (i32.const 2)))
                (i32.load offset=4 (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 2)))))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $z)))
      (i32.store (local.get $list) (local.get $c))
      (local.set $state (i32.const %S_APPLIED%))
      (if (i32.eqz (local.get $c)) (then (local.set $state (i32.const %S_STALE%))))
      (if (i32.lt_s (i32.load offset=20 (local.get $e)) (global.get $today)) (then (local.set $state (i32.const %S_EXPIRED%))))
      (if (i32.eq (local.get $state) (i32.const %S_EXPIRED%)) (then (local.set $expired_n (i32.add (local.get $expired_n) (i32.const 1)))))
      (if (i32.eq (local.get $state) (i32.const %S_STALE%)) (then (local.set $stale_n (i32.add (local.get $stale_n) (i32.const 1)))))
      (call $w_sep (local.get $i) (i32.const 2))
      (call $sb_byte (i32.const 123))
      (call $w_str_member (i32.const 0) (i32.const %S_F_NAME%) (i32.const 2) (i32.load (local.get $e)))
      (call $w_str_member (i32.const 1) (i32.const %S_F_RULE%) (i32.const 2) (i32.load offset=4 (local.get $e)))
      (call $w_member (i32.const 1) (i32.const %S_F_RESOURCES%) (i32.const 2))
      (call $w_str_array (i32.load offset=8 (local.get $e)) (i32.const 3))
      (call $w_str_member (i32.const 1) (i32.const %S_F_STATE%) (i32.const 2) (local.get $state))
      (call $w_str_member (i32.const 1) (i32.const %S_F_EXPIRES%) (i32.const 2) (i32.load offset=24 (local.get $e)))
      (call $w_str_member (i32.const 1) (i32.const %S_F_REASON%) (i32.const 2) (i32.load offset=12 (local.get $e)))
      (call $w_str_member (i32.const 1) (i32.const %S_F_APPROVED_BY%) (i32.const 2) (i32.load offset=16 (local.get $e)))
      (call $w_member (i32.const 1) (i32.const %S_F_MATCHED%) (i32.const 2))
      (call $w_str_array (local.get $list) (i32.const 3))
      (call $w_close (i32.const 1) (i32.const 2) (i32.const 125))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (call $w_close (local.get $n) (i32.const 1) (i32.const 93))
  ;; The summary.
  (call $w_member (i32.const 1) (i32.const %S_F_SUMMARY%) (i32.const 0))
  (call $sb_byte (i32.const 123))
  (call $w_int_member (i32.const 0) (i32.const %S_F_RESOURCES%) (i32.const 1) (global.get $nres))
  (call $w_int_member (i32.const 1) (i32.const %S_F_RULES%) (i32.const 1) (i32.load (i32.const %RULES%)))
  (call $w_int_member (i32.const 1) (i32.const %S_F_EVALUATED%) (i32.const 1) (global.get $evaluated))
  (call $w_int_member (i32.const 1) (i32.const %S_F_PASSED%) (i32.const 1) (global.get $passed))
  (call $w_int_member (i32.const 1) (i32.const %S_F_VIOLATIONS%) (i32.const 1) (global.get $violations))
  (call $w_int_member (i32.const 1) (i32.const %S_F_UNDETERMINED%) (i32.const 1) (global.get $undetermined))
  (call $w_int_member (i32.const 1) (i32.const %S_F_EXCEPTED%) (i32.const 1) (global.get $excepted))
  (call $w_int_member (i32.const 1) (i32.const %S_F_BLOCKING%) (i32.const 1) (global.get $blocking))
  (call $w_int_member (i32.const 1) (i32.const %S_F_EXPIRED_EXCEPTIONS%) (i32.const 1) (local.get $expired_n))
  (call $w_int_member (i32.const 1) (i32.const %S_F_STALE_EXCEPTIONS%) (i32.const 1) (local.get $stale_n))
  (call $w_member (i32.const 1) (i32.const %S_F_FAILED%) (i32.const 1))
  (call $sb_str (select (i32.const %S_TRUE%) (i32.const %S_FALSE%) (i32.ne (global.get $blocking) (i32.const 0))))
  (call $w_close (i32.const 1) (i32.const 1) (i32.const 125)))

;; Exceptions may not run for more than a year from today (`runner::validate_exceptions`).
(func $validate_exceptions (result i32)
  (local $n i32) (local $i i32) (local $e i32) (local $m i32)
  (local.set $n (i32.load (i32.const %EXCEPTIONS%)))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (i32.load offset=4 (i32.add (i32.const %EXCEPTIONS%) (i32.shl (local.get $i) (i32.const 2)))))
      (if (i32.gt_s (i32.load offset=20 (local.get $e)) (i32.add (global.get $today) (i32.const %MAX_EXCEPTION_DAYS%)))
        (then
          (local.set $m (call $sb_begin))
          (call $sb_str (i32.const %S_EXC_1%))
          (call $sb_str (i32.load (local.get $e)))
          (call $sb_str (i32.const %S_EXC_2%))
          (call $sb_str (i32.load offset=32 (local.get $e)))
          (call $sb_str (i32.const %S_EXC_3%))
          (call $sb_str (i32.load offset=24 (local.get $e)))
          (call $sb_str (i32.const %S_EXC_4%))
          (call $sb_date (global.get $today))
          (return (call $fail (i32.const %E_EXCEPTION%) (call $sb_end (local.get $m))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (i32.const 1))

(func $evaluate (param $ptr i32) (param $len i32) (result i32)
  (local $root i32) (local $ok i32) (local $d i32) (local $n i32) (local $i i32) (local $m i32)
  (local $r i32) (local $j i32) (local $b i32) (local $first i32)
  (local.set $root (call $parse_document (local.get $ptr) (local.get $len)))
  (if (i32.eqz (local.get $root)) (then (return (i32.const 0))))
  (if (i32.eqz (call $rd_inventory (local.get $root))) (then (return (i32.const 0))))
  (global.set $today (i32.const %DEFAULT_TODAY%))
  (if (global.get $doc_today)
    (then
      (call $date_parse (global.get $doc_today))
      (local.set $d) (local.set $ok)
      (if (i32.eqz (local.get $ok))
        (then
          (local.set $m (call $sb_begin))
          (call $sb_str (i32.const %S_BAD_TODAY%))
          (call $sb_str (global.get $doc_today))
          (call $sb_byte (i32.const 96))
          (return (call $fail (i32.const %E_OPTIONS%) (call $sb_end (local.get $m))))))
      (global.set $today (local.get $d))))
  (global.set $fail_on (select (global.get $doc_fail_on) (i32.const 1) (i32.ge_s (global.get $doc_fail_on) (i32.const 0))))
  (if (i32.eqz (call $validate_exceptions)) (then (return (i32.const 0))))
  (local.set $n (i32.load (global.get $resources)))
  (global.set $nres (local.get $n))
  (global.set $sorted (call $sort_resources (global.get $resources)))
  (global.set $seen (call $alloc_p (i32.shl (i32.add (i32.load (i32.const %LABELS%)) (i32.const 1)) (i32.const 2))))
  (memory.fill (global.get $seen) (i32.const 0) (i32.shl (i32.add (i32.load (i32.const %LABELS%)) (i32.const 1)) (i32.const 2)))
  (global.set $floor (global.get $heap))
  ;; The document.
  (call $sb_byte (i32.const 123))
  (call $w_int_member (i32.const 0) (i32.const %S_F_VERSION%) (i32.const 0) (i32.const %REPORT_VERSION%))
  (call $w_member (i32.const 1) (i32.const %S_F_TODAY%) (i32.const 0))
  (call $sb_byte (i32.const 34))
  (call $sb_date (global.get $today))
  (call $sb_byte (i32.const 34))
  (call $w_str_member (i32.const 1) (i32.const %S_F_FAIL_ON%) (i32.const 0)
    (select (i32.const %S_ADVISORY%) (select (i32.const %S_SOFT%) (i32.const %S_HARD%) (i32.eq (global.get $fail_on) (i32.const 1)))
      (i32.eqz (global.get $fail_on))))
  (call $w_member (i32.const 1) (i32.const %S_F_FINDINGS%) (i32.const 0))
  (call $sb_byte (i32.const 91))
  (local.set $n (i32.load (i32.const %RULES%)))
  (global.set $rule_bufs (call $alloc_p (i32.mul (local.get $n) (i32.const 12))))
  (memory.fill (global.get $rule_bufs) (i32.const 0) (i32.mul (local.get $n) (i32.const 12)))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (global.get $nres)))
      (local.set $r (i32.load (i32.add (global.get $sorted) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $j (i32.const 0))
      (block $rules_done
        (loop $y
          (br_if $rules_done (i32.ge_u (local.get $j) (local.get $n)))
          (call $run_rule (i32.load offset=4 (i32.add (i32.const %RULES%) (i32.shl (local.get $j) (i32.const 2))))
                          (local.get $j) (local.get $r))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $y)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  ;; Join the rules' findings in id order; the first finding loses its `,`.
  (local.set $first (i32.const 1))
  (local.set $j (i32.const 0))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $b (i32.add (global.get $rule_bufs) (i32.mul (local.get $j) (i32.const 12))))
      (if (i32.load offset=4 (local.get $b))
        (then
          (call $sb_bytes (i32.add (i32.load (local.get $b)) (local.get $first))
                          (i32.sub (i32.load offset=4 (local.get $b)) (local.get $first)))
          (local.set $first (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $x)))
  (call $w_close (global.get $n_findings) (i32.const 1) (i32.const 93))
  (call $w_exceptions)
  (call $w_close (i32.const 1) (i32.const 0) (i32.const 125))
  (call $sb_byte (i32.const 10))
  (i32.const 1))

;; ---------------------------------------------------------------- the ABI

;; A buffer of `len` bytes for the input document (0 if memory cannot grow).
(func (export "juris_alloc") (param $len i32) (result i32)
  (local $end i64)
  (global.set $heap (i32.const %HEAP_BASE%))
  (global.set $floor (i32.const %HEAP_BASE%))
  (local.set $end (i64.add (i64.const %HEAP_BASE%) (i64.extend_i32_u (local.get $len))))
  (if (i64.gt_u (local.get $end) (i64.const 0xFFFF0000)) (then (return (i32.const 0))))
  (if (i64.gt_u (local.get $end) (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (then
      (if (i32.lt_s (memory.grow (i32.wrap_i64 (i64.shr_u (i64.sub (i64.add (local.get $end) (i64.const 65535))
                                                                   (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
                                                          (i64.const 16))))
                    (i32.const 0))
        (then (return (i32.const 0))))))
  (i32.const %HEAP_BASE%))

;; Evaluate the inventory document at ptr..ptr+len: 0, or an error code.
(func (export "juris_eval") (param $ptr i32) (param $len i32) (result i32)
  (local $end i64) (local $m i32)
  (local.set $end (i64.add (i64.extend_i32_u (local.get $ptr)) (i64.extend_i32_u (local.get $len))))
  ;; A clean state for every call.
  (call $sync_mem_end)
  (global.set $err_code (i32.const 0))
  (global.set $err_msg (i32.const 0))
  (global.set $sb (i32.const 0))
  (global.set $sb_len (i32.const 0))
  (global.set $sb_cap (i32.const 0))
  (global.set $obs (i32.const 0))
  (global.set $obs_n (i32.const 0))
  (global.set $obs_cap (i32.const 0))
  (global.set $matches (i32.const 0))
  (global.set $matches_n (i32.const 0))
  (global.set $matches_cap (i32.const 0))
  (global.set $stamp (i32.const 0))
  (global.set $n_findings (i32.const 0))
  (global.set $evaluated (i32.const 0))
  (global.set $passed (i32.const 0))
  (global.set $violations (i32.const 0))
  (global.set $undetermined (i32.const 0))
  (global.set $excepted (i32.const 0))
  (global.set $blocking (i32.const 0))
  (global.set $ctx_res (i32.const -1))
  (global.set $ctx_flow (i32.const -1))
  (global.set $ctx_what (i32.const 0))
  (global.set $doc_today (i32.const 0))
  (global.set $doc_fail_on (i32.const -1))
  (global.set $msg (i32.const 0))
  (global.set $result_ptr (i32.const 0))
  (global.set $result_len (i32.const 0))
  (call $memo_reset)
  (if (i64.gt_u (local.get $end) (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (then
      (global.set $heap (i32.const %HEAP_BASE%))
      (global.set $floor (i32.const %HEAP_BASE%))
      (drop (call $fail (i32.const %E_ABI%) (i32.const %S_BAD_BUFFER%))))
    (else
      (global.set $heap (i32.and (i32.add (select (i32.wrap_i64 (local.get $end)) (i32.const %HEAP_BASE%)
                                                 (i64.gt_u (local.get $end) (i64.const %HEAP_BASE%)))
                                         (i32.const 7)) (i32.const -8)))
      (global.set $floor (global.get $heap))
      (drop (call $evaluate (local.get $ptr) (local.get $len)))))
  (if (global.get $err_code)
    (then
      ;; {"error": {"code": N, "message": "..."}}
      (global.set $sb_len (i32.const 0))
      (call $sb_byte (i32.const 123))
      (call $w_member (i32.const 0) (i32.const %S_F_ERROR%) (i32.const 0))
      (call $sb_byte (i32.const 123))
      (call $w_int_member (i32.const 0) (i32.const %S_F_CODE%) (i32.const 1) (global.get $err_code))
      (call $w_str_member (i32.const 1) (i32.const %S_F_MESSAGE%) (i32.const 1) (global.get $err_msg))
      (call $w_close (i32.const 1) (i32.const 1) (i32.const 125))
      (call $w_close (i32.const 1) (i32.const 0) (i32.const 125))
      (call $sb_byte (i32.const 10))))
  (global.set $result_ptr (global.get $sb))
  (global.set $result_len (global.get $sb_len))
  (global.get $err_code))

(func (export "juris_result_ptr") (result i32) (global.get $result_ptr))
(func (export "juris_result_len") (result i32) (global.get $result_len))
