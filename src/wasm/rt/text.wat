;; Text: the string builder (which also holds the output document), string
;; headers, UTF-8, Unicode case mapping, and the string built-ins' algorithms.
;; A string is a header {len: i32, data: i32}; headers may share bytes.

(global $sb (mut i32) (i32.const 0))
(global $sb_len (mut i32) (i32.const 0))
(global $sb_cap (mut i32) (i32.const 0))

(func $sb_reserve (param $n i32)
  (local $cap i32) (local $new i32)
  (if (i32.le_u (i32.add (global.get $sb_len) (local.get $n)) (global.get $sb_cap)) (then (return)))
  (if (i32.gt_u (local.get $n) (i32.const 0x3ff00000)) (then (call $oom)))
  (local.set $cap (i32.shl (global.get $sb_cap) (i32.const 1)))
  (if (i32.lt_u (local.get $cap) (i32.add (global.get $sb_len) (local.get $n)))
    (then (local.set $cap (i32.add (global.get $sb_len) (local.get $n)))))
  (if (i32.lt_u (local.get $cap) (i32.const 4096)) (then (local.set $cap (i32.const 4096))))
  (local.set $new (call $alloc_p (local.get $cap)))
  (memory.copy (local.get $new) (global.get $sb) (global.get $sb_len))
  (global.set $sb (local.get $new))
  (global.set $sb_cap (local.get $cap)))

(func $sb_byte (param $b i32)
  (if (i32.ge_u (global.get $sb_len) (global.get $sb_cap)) (then (call $sb_reserve (i32.const 1))))
  (i32.store8 (i32.add (global.get $sb) (global.get $sb_len)) (local.get $b))
  (global.set $sb_len (i32.add (global.get $sb_len) (i32.const 1))))

(func $sb_bytes (param $p i32) (param $n i32)
  (call $sb_reserve (local.get $n))
  (memory.copy (i32.add (global.get $sb) (global.get $sb_len)) (local.get $p) (local.get $n))
  (global.set $sb_len (i32.add (global.get $sb_len) (local.get $n))))

(func $sb_str (param $h i32)
  (call $sb_bytes (i32.load offset=4 (local.get $h)) (i32.load (local.get $h))))

(func $sb_begin (result i32) (global.get $sb_len))

;; Copy what was built since `$mark` into a new string and drop it from the builder.
(func $sb_end (param $mark i32) (result i32)
  (local $h i32) (local $n i32)
  (local.set $n (i32.sub (global.get $sb_len) (local.get $mark)))
  (local.set $h (call $str_new (local.get $n)))
  (memory.copy (i32.load offset=4 (local.get $h)) (i32.add (global.get $sb) (local.get $mark)) (local.get $n))
  (global.set $sb_len (local.get $mark))
  (local.get $h))

(func $str_new (param $n i32) (result i32)
  (local $h i32)
  (local.set $h (call $alloc (i32.add (local.get $n) (i32.const 8))))
  (i32.store (local.get $h) (local.get $n))
  (i32.store offset=4 (local.get $h) (i32.add (local.get $h) (i32.const 8)))
  (local.get $h))

;; A header for `len` bytes at `data` (no copy).
(func $str_view (param $data i32) (param $len i32) (result i32)
  (local $h i32)
  (local.set $h (call $alloc (i32.const 8)))
  (i32.store (local.get $h) (local.get $len))
  (i32.store offset=4 (local.get $h) (local.get $data))
  (local.get $h))

(func $mem_eq (param $a i32) (param $b i32) (param $n i32) (result i32)
  (block $done
    (loop $l
      (br_if $done (i32.lt_u (local.get $n) (i32.const 8)))
      (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 8)))
      (br $l)))
  (block $done2
    (loop $l2
      (br_if $done2 (i32.eqz (local.get $n)))
      (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l2)))
  (i32.const 1))

(func $str_eq (param $a i32) (param $b i32) (result i32)
  (if (i32.eq (local.get $a) (local.get $b)) (then (return (i32.const 1))))
  (if (i32.ne (i32.load (local.get $a)) (i32.load (local.get $b))) (then (return (i32.const 0))))
  (call $mem_eq (i32.load offset=4 (local.get $a)) (i32.load offset=4 (local.get $b)) (i32.load (local.get $a))))

;; Byte-wise order, as `str::cmp`: -1, 0 or 1. Eight bytes at a time: the
;; lowest differing bit of the little-endian words marks the first differing byte.
(func $str_cmp (param $a i32) (param $b i32) (result i32)
  (local $pa i32) (local $pb i32) (local $la i32) (local $lb i32) (local $n i32) (local $i i32)
  (local $x i64) (local $y i64) (local $d i64)
  (local.set $la (i32.load (local.get $a)))
  (local.set $lb (i32.load (local.get $b)))
  (local.set $pa (i32.load offset=4 (local.get $a)))
  (local.set $pb (i32.load offset=4 (local.get $b)))
  (local.set $n (select (local.get $la) (local.get $lb) (i32.lt_u (local.get $la) (local.get $lb))))
  (block $words
    (loop $l
      (br_if $words (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
      (local.set $x (i64.load (i32.add (local.get $pa) (local.get $i))))
      (local.set $y (i64.load (i32.add (local.get $pb) (local.get $i))))
      (if (i64.ne (local.get $x) (local.get $y))
        (then
          (local.set $d (i64.and (i64.ctz (i64.xor (local.get $x) (local.get $y))) (i64.const 56)))
          (return (select (i32.const -1) (i32.const 1)
            (i64.lt_u (i64.and (i64.shr_u (local.get $x) (local.get $d)) (i64.const 255))
                      (i64.and (i64.shr_u (local.get $y) (local.get $d)) (i64.const 255)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $d (i64.extend_i32_u (i32.load8_u (i32.add (local.get $pa) (local.get $i)))))
      (local.set $x (i64.extend_i32_u (i32.load8_u (i32.add (local.get $pb) (local.get $i)))))
      (if (i64.ne (local.get $d) (local.get $x))
        (then (return (select (i32.const -1) (i32.const 1) (i64.lt_u (local.get $d) (local.get $x))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (i32.sub (i32.gt_u (local.get $la) (local.get $lb)) (i32.lt_u (local.get $la) (local.get $lb))))

;; Compare two optional strings (0 = none, which sorts first).
(func $opt_str_cmp (param $a i32) (param $b i32) (result i32)
  (if (i32.and (i32.eqz (local.get $a)) (i32.eqz (local.get $b))) (then (return (i32.const 0))))
  (if (i32.eqz (local.get $a)) (then (return (i32.const -1))))
  (if (i32.eqz (local.get $b)) (then (return (i32.const 1))))
  (call $str_cmp (local.get $a) (local.get $b)))

;; ---------------------------------------------------------------- UTF-8

;; Decode the character at `p` (valid UTF-8): (code point, byte length).
(func $utf8_at (param $p i32) (result i32 i32)
  (local $b i32)
  (local.set $b (i32.load8_u (local.get $p)))
  (if (i32.lt_u (local.get $b) (i32.const 0x80)) (then (return (local.get $b) (i32.const 1))))
  (if (i32.lt_u (local.get $b) (i32.const 0xE0))
    (then (return
      (i32.or (i32.shl (i32.and (local.get $b) (i32.const 0x1F)) (i32.const 6))
              (i32.and (i32.load8_u offset=1 (local.get $p)) (i32.const 0x3F)))
      (i32.const 2))))
  (if (i32.lt_u (local.get $b) (i32.const 0xF0))
    (then (return
      (i32.or (i32.or (i32.shl (i32.and (local.get $b) (i32.const 0x0F)) (i32.const 12))
                      (i32.shl (i32.and (i32.load8_u offset=1 (local.get $p)) (i32.const 0x3F)) (i32.const 6)))
              (i32.and (i32.load8_u offset=2 (local.get $p)) (i32.const 0x3F)))
      (i32.const 3))))
  (i32.or (i32.or (i32.shl (i32.and (local.get $b) (i32.const 0x07)) (i32.const 18))
                  (i32.shl (i32.and (i32.load8_u offset=1 (local.get $p)) (i32.const 0x3F)) (i32.const 12)))
          (i32.or (i32.shl (i32.and (i32.load8_u offset=2 (local.get $p)) (i32.const 0x3F)) (i32.const 6))
                  (i32.and (i32.load8_u offset=3 (local.get $p)) (i32.const 0x3F))))
  (i32.const 4))

;; Start of the character that ends just before `p`.
(func $utf8_prev (param $p i32) (result i32)
  (local.set $p (i32.sub (local.get $p) (i32.const 1)))
  (block $done
    (loop $l
      (br_if $done (i32.ne (i32.and (i32.load8_u (local.get $p)) (i32.const 0xC0)) (i32.const 0x80)))
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (br $l)))
  (local.get $p))

(func $sb_utf8 (param $c i32)
  (if (i32.lt_u (local.get $c) (i32.const 0x80)) (then (call $sb_byte (local.get $c)) (return)))
  (if (i32.lt_u (local.get $c) (i32.const 0x800))
    (then
      (call $sb_byte (i32.or (i32.const 0xC0) (i32.shr_u (local.get $c) (i32.const 6))))
      (call $sb_byte (i32.or (i32.const 0x80) (i32.and (local.get $c) (i32.const 0x3F))))
      (return)))
  (if (i32.lt_u (local.get $c) (i32.const 0x10000))
    (then
      (call $sb_byte (i32.or (i32.const 0xE0) (i32.shr_u (local.get $c) (i32.const 12))))
      (call $sb_byte (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $c) (i32.const 6)) (i32.const 0x3F))))
      (call $sb_byte (i32.or (i32.const 0x80) (i32.and (local.get $c) (i32.const 0x3F))))
      (return)))
  (call $sb_byte (i32.or (i32.const 0xF0) (i32.shr_u (local.get $c) (i32.const 18))))
  (call $sb_byte (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $c) (i32.const 12)) (i32.const 0x3F))))
  (call $sb_byte (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $c) (i32.const 6)) (i32.const 0x3F))))
  (call $sb_byte (i32.or (i32.const 0x80) (i32.and (local.get $c) (i32.const 0x3F)))))

;; Number of characters (`s.chars().count()`).
(func $char_count (param $h i32) (result i32)
  (local $p i32) (local $end i32) (local $n i32)
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (if (i32.ne (i32.and (i32.load8_u (local.get $p)) (i32.const 0xC0)) (i32.const 0x80))
        (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (local.get $n))

;; ---------------------------------------------------------------- Unicode tables
;; Case maps: sorted entries {cp, data, len} (12 bytes); ranges: sorted {lo, hi}.

(func $case_lookup (param $tab i32) (param $n i32) (param $c i32) (result i32)
  (local $lo i32) (local $hi i32) (local $mid i32) (local $e i32) (local $x i32)
  (local.set $hi (local.get $n))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $lo) (local.get $hi)))
      (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
      (local.set $e (i32.add (local.get $tab) (i32.mul (local.get $mid) (i32.const 12))))
      (local.set $x (i32.load (local.get $e)))
      (if (i32.eq (local.get $x) (local.get $c)) (then (return (local.get $e))))
      (if (i32.lt_u (local.get $x) (local.get $c))
        (then (local.set $lo (i32.add (local.get $mid) (i32.const 1))))
        (else (local.set $hi (local.get $mid))))
      (br $l)))
  (i32.const 0))

(func $in_ranges (param $tab i32) (param $n i32) (param $c i32) (result i32)
  (local $lo i32) (local $hi i32) (local $mid i32) (local $e i32)
  (local.set $hi (local.get $n))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $lo) (local.get $hi)))
      (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
      (local.set $e (i32.add (local.get $tab) (i32.shl (local.get $mid) (i32.const 3))))
      (if (i32.lt_u (local.get $c) (i32.load (local.get $e)))
        (then (local.set $hi (local.get $mid)))
        (else
          (if (i32.le_u (local.get $c) (i32.load offset=4 (local.get $e))) (then (return (i32.const 1))))
          (local.set $lo (i32.add (local.get $mid) (i32.const 1)))))
      (br $l)))
  (i32.const 0))

;; Append `char::to_lowercase` (or to_uppercase) of `c`.
(func $sb_case (param $tab i32) (param $n i32) (param $c i32)
  (local $e i32)
  (local.set $e (call $case_lookup (local.get $tab) (local.get $n) (local.get $c)))
  (if (local.get $e)
    (then (call $sb_bytes (i32.load offset=4 (local.get $e)) (i32.load offset=8 (local.get $e))))
    (else (call $sb_utf8 (local.get $c)))))

(func $sb_lower_char (param $c i32)
  (if (i32.lt_u (local.get $c) (i32.const 0x80))
    (then
      (call $sb_byte (select (i32.or (local.get $c) (i32.const 0x20)) (local.get $c)
        (i32.lt_u (i32.sub (local.get $c) (i32.const 65)) (i32.const 26))))
      (return)))
  (call $sb_case (i32.const %LOWER_TAB%) (i32.const %LOWER_N%) (local.get $c)))

;; Whether, reading from `p` towards `end` (forward) or `start` (backward), the
;; first character that is not case-ignorable is cased.
(func $ignorable_then_cased (param $p i32) (param $limit i32) (param $forward i32) (result i32)
  (local $c i32) (local $len i32)
  (block $done
    (loop $l
      (if (local.get $forward)
        (then
          (br_if $done (i32.ge_u (local.get $p) (local.get $limit)))
          (call $utf8_at (local.get $p))
          (local.set $len)
          (local.set $c)
          (local.set $p (i32.add (local.get $p) (local.get $len))))
        (else
          (br_if $done (i32.le_u (local.get $p) (local.get $limit)))
          (local.set $p (call $utf8_prev (local.get $p)))
          (call $utf8_at (local.get $p))
          (drop)
          (local.set $c)))
      (br_if $l (call $in_ranges (i32.const %IGNORABLE_TAB%) (i32.const %IGNORABLE_N%) (local.get $c)))
      (return (call $in_ranges (i32.const %CASED_TAB%) (i32.const %CASED_N%) (local.get $c)))))
  (i32.const 0))

;; `str::to_lowercase`, including the final-sigma rule.
(func $str_lower (param $h i32) (result i32)
  (local $p i32) (local $start i32) (local $end i32) (local $c i32) (local $len i32) (local $m i32)
  (local.set $m (call $sb_begin))
  (local.set $start (i32.load offset=4 (local.get $h)))
  (local.set $p (local.get $start))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (call $utf8_at (local.get $p))
      (local.set $len)
      (local.set $c)
      (if (i32.eq (local.get $c) (i32.const 0x3A3))
        (then
          (if (i32.and
                (call $ignorable_then_cased (local.get $p) (local.get $start) (i32.const 0))
                (i32.eqz (call $ignorable_then_cased (i32.add (local.get $p) (i32.const 2)) (local.get $end) (i32.const 1))))
            (then (call $sb_utf8 (i32.const 0x3C2)))
            (else (call $sb_utf8 (i32.const 0x3C3)))))
        (else (call $sb_lower_char (local.get $c))))
      (local.set $p (i32.add (local.get $p) (local.get $len)))
      (br $l)))
  (call $sb_end (local.get $m)))

(func $str_upper (param $h i32) (result i32)
  (local $p i32) (local $end i32) (local $c i32) (local $len i32) (local $m i32)
  (local.set $m (call $sb_begin))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (call $utf8_at (local.get $p))
      (local.set $len)
      (local.set $c)
      (if (i32.lt_u (local.get $c) (i32.const 0x80))
        (then (call $sb_byte (select (i32.and (local.get $c) (i32.const 0xDF)) (local.get $c)
          (i32.lt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 26)))))
        (else (call $sb_case (i32.const %UPPER_TAB%) (i32.const %UPPER_N%) (local.get $c))))
      (local.set $p (i32.add (local.get $p) (local.get $len)))
      (br $l)))
  (call $sb_end (local.get $m)))

(func $is_ws (param $c i32) (result i32)
  (call $in_ranges (i32.const %WS_TAB%) (i32.const %WS_N%) (local.get $c)))

;; `str::trim`: a view without leading and trailing white space.
(func $str_trim (param $h i32) (result i32)
  (local $p i32) (local $end i32) (local $q i32) (local $c i32) (local $len i32)
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (call $utf8_at (local.get $p))
      (local.set $len)
      (local.set $c)
      (br_if $done (i32.eqz (call $is_ws (local.get $c))))
      (local.set $p (i32.add (local.get $p) (local.get $len)))
      (br $l)))
  (block $done2
    (loop $l2
      (br_if $done2 (i32.le_u (local.get $end) (local.get $p)))
      (local.set $q (call $utf8_prev (local.get $end)))
      (call $utf8_at (local.get $q))
      (drop)
      (local.set $c)
      (br_if $done2 (i32.eqz (call $is_ws (local.get $c))))
      (local.set $end (local.get $q))
      (br $l2)))
  (call $str_view (local.get $p) (i32.sub (local.get $end) (local.get $p))))

;; Canonical tag key (`eval::canonical_key`): separators dropped, each character
;; lower-cased with `char::to_lowercase`. A key of lower-case ASCII letters and
;; digits is its own canonical form.
(func $canonical_key (param $h i32) (result i32)
  (local $p i32) (local $end i32) (local $c i32) (local $len i32) (local $m i32)
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $plain
    (loop $l
      (br_if $plain (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.and (i32.ge_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 26))
                   (i32.ge_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
        (then (br $plain)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (local.get $h))))
  (local.set $m (call $sb_begin))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.lt_u (local.get $c) (i32.const 0x80))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (if (i32.lt_u (i32.sub (local.get $c) (i32.const 65)) (i32.const 26))
            (then (call $sb_byte (i32.or (local.get $c) (i32.const 0x20))) (br $l)))
          (br_if $l (i32.or (i32.or (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 95)))
                                    (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 46))))
                            (i32.or (i32.eq (local.get $c) (i32.const 58)) (i32.eq (local.get $c) (i32.const 47)))))
          (call $sb_byte (local.get $c))
          (br $l)))
      (call $utf8_at (local.get $p))
      (local.set $len)
      (local.set $c)
      (if (i32.eqz (i32.or (i32.or (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 95)))
                                   (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 46))))
                           (i32.or (i32.eq (local.get $c) (i32.const 58)) (i32.eq (local.get $c) (i32.const 47)))))
        (then (call $sb_lower_char (local.get $c))))
      (local.set $p (i32.add (local.get $p) (local.get $len)))
      (br $l)))
  (call $sb_end (local.get $m)))

;; ---------------------------------------------------------------- searching

;; First index >= `from` where `needle` occurs in `hay`, or -1.
(func $str_find (param $hay i32) (param $needle i32) (param $from i32) (result i32)
  (local $hp i32) (local $hl i32) (local $np i32) (local $nl i32) (local $i i32) (local $last i32) (local $first i32)
  (local.set $hp (i32.load offset=4 (local.get $hay)))
  (local.set $hl (i32.load (local.get $hay)))
  (local.set $np (i32.load offset=4 (local.get $needle)))
  (local.set $nl (i32.load (local.get $needle)))
  (if (i32.gt_u (local.get $nl) (local.get $hl)) (then (return (i32.const -1))))
  (if (i32.eqz (local.get $nl)) (then (return (local.get $from))))
  (local.set $last (i32.sub (local.get $hl) (local.get $nl)))
  (local.set $first (i32.load8_u (local.get $np)))
  (local.set $i (local.get $from))
  (block $done
    (loop $l
      (br_if $done (i32.gt_s (local.get $i) (local.get $last)))
      (if (i32.eq (i32.load8_u (i32.add (local.get $hp) (local.get $i))) (local.get $first))
        (then (if (call $mem_eq (i32.add (local.get $hp) (local.get $i)) (local.get $np) (local.get $nl))
          (then (return (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (i32.const -1))

(func $starts_with (param $s i32) (param $p i32) (result i32)
  (if (i32.gt_u (i32.load (local.get $p)) (i32.load (local.get $s))) (then (return (i32.const 0))))
  (call $mem_eq (i32.load offset=4 (local.get $s)) (i32.load offset=4 (local.get $p)) (i32.load (local.get $p))))

(func $ends_with (param $s i32) (param $p i32) (result i32)
  (if (i32.gt_u (i32.load (local.get $p)) (i32.load (local.get $s))) (then (return (i32.const 0))))
  (call $mem_eq
    (i32.add (i32.load offset=4 (local.get $s)) (i32.sub (i32.load (local.get $s)) (i32.load (local.get $p))))
    (i32.load offset=4 (local.get $p)) (i32.load (local.get $p))))

;; `s.split(sep)` (sep non-empty) or `s.chars()` (sep empty): a list of strings.
(func $str_split (param $s i32) (param $sep i32) (result i32)
  (local $n i32) (local $i i32) (local $at i32) (local $list i32) (local $p i32) (local $len i32) (local $sl i32)
  (local.set $p (i32.load offset=4 (local.get $s)))
  (local.set $sl (i32.load (local.get $sep)))
  (if (i32.eqz (local.get $sl))
    (then
      (local.set $list (call $list_new (call $char_count (local.get $s))))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (i32.load (local.get $list))))
          (call $utf8_at (local.get $p))
          (local.set $len)
          (drop)
          (call $list_set (local.get $list) (local.get $i) (call $mk_str (call $str_view (local.get $p) (local.get $len))))
          (local.set $p (i32.add (local.get $p) (local.get $len)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (return (local.get $list))))
  ;; Count the pieces first, then fill.
  (local.set $n (i32.const 1))
  (block $done
    (loop $l
      (local.set $at (call $str_find (local.get $s) (local.get $sep) (local.get $i)))
      (br_if $done (i32.lt_s (local.get $at) (i32.const 0)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $at) (local.get $sl)))
      (br $l)))
  (local.set $list (call $list_new (local.get $n)))
  (local.set $i (i32.const 0))
  (local.set $n (i32.const 0))
  (block $done
    (loop $l
      (local.set $at (call $str_find (local.get $s) (local.get $sep) (local.get $i)))
      (br_if $done (i32.lt_s (local.get $at) (i32.const 0)))
      (call $list_set (local.get $list) (local.get $n)
        (call $mk_str (call $str_view (i32.add (local.get $p) (local.get $i)) (i32.sub (local.get $at) (local.get $i)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $at) (local.get $sl)))
      (br $l)))
  (call $list_set (local.get $list) (local.get $n)
    (call $mk_str (call $str_view (i32.add (local.get $p) (local.get $i)) (i32.sub (i32.load (local.get $s)) (local.get $i)))))
  (local.get $list))

;; `s.replace(from, to)` with a non-empty `from`.
(func $str_replace (param $s i32) (param $from i32) (param $to i32) (result i32)
  (local $i i32) (local $at i32) (local $m i32) (local $p i32)
  (local.set $m (call $sb_begin))
  (local.set $p (i32.load offset=4 (local.get $s)))
  (block $done
    (loop $l
      (local.set $at (call $str_find (local.get $s) (local.get $from) (local.get $i)))
      (br_if $done (i32.lt_s (local.get $at) (i32.const 0)))
      (call $sb_bytes (i32.add (local.get $p) (local.get $i)) (i32.sub (local.get $at) (local.get $i)))
      (call $sb_str (local.get $to))
      (local.set $i (i32.add (local.get $at) (i32.load (local.get $from))))
      (br $l)))
  (call $sb_bytes (i32.add (local.get $p) (local.get $i)) (i32.sub (i32.load (local.get $s)) (local.get $i)))
  (call $sb_end (local.get $m)))

;; ---------------------------------------------------------------- glob

;; Code points of a string into a fresh array: (ptr, count).
(func $code_points (param $h i32) (result i32 i32)
  (local $arr i32) (local $n i32) (local $p i32) (local $end i32) (local $len i32) (local $c i32)
  (local.set $arr (call $alloc (i32.shl (i32.add (i32.load (local.get $h)) (i32.const 1)) (i32.const 2))))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (call $utf8_at (local.get $p))
      (local.set $len)
      (local.set $c)
      (i32.store (i32.add (local.get $arr) (i32.shl (local.get $n) (i32.const 2))) (local.get $c))
      (local.set $p (i32.add (local.get $p) (local.get $len)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
  (local.get $arr) (local.get $n))

;; `eval::glob`, step for step: `*` any run, `?` one character, `\` escapes.
(func $glob (param $text i32) (param $pattern i32) (result i32)
  (local $t i32) (local $tn i32) (local $p i32) (local $pn i32)
  (local $ti i32) (local $pi i32) (local $sp i32) (local $st i32) (local $has_star i32)
  (local $step i32) (local $c i32) (local $mark i32)
  (local.set $mark (global.get $heap))
  (call $code_points (local.get $text))
  (local.set $tn)
  (local.set $t)
  (call $code_points (local.get $pattern))
  (local.set $pn)
  (local.set $p)
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $ti) (local.get $tn)))
      (block $decided
        (if (i32.ge_u (local.get $pi) (local.get $pn))
          (then (local.set $step (i32.const 0)) (br $decided)))
        (local.set $c (i32.load (i32.add (local.get $p) (i32.shl (local.get $pi) (i32.const 2)))))
        (if (i32.eq (local.get $c) (i32.const 42))
          (then
            (local.set $has_star (i32.const 1))
            (local.set $sp (i32.add (local.get $pi) (i32.const 1)))
            (local.set $st (local.get $ti))
            (local.set $pi (i32.add (local.get $pi) (i32.const 1)))
            (br $l)))
        (if (i32.eq (local.get $c) (i32.const 63))
          (then (local.set $step (i32.const 1)) (br $decided)))
        (if (i32.and (i32.eq (local.get $c) (i32.const 92)) (i32.lt_u (i32.add (local.get $pi) (i32.const 1)) (local.get $pn)))
          (then
            (if (i32.eq (i32.load (i32.add (local.get $p) (i32.shl (i32.add (local.get $pi) (i32.const 1)) (i32.const 2))))
                        (i32.load (i32.add (local.get $t) (i32.shl (local.get $ti) (i32.const 2)))))
              (then
                (local.set $pi (i32.add (local.get $pi) (i32.const 1)))
                (local.set $step (i32.const 1)))
              (else (local.set $step (i32.const 0))))
            (br $decided)))
        (local.set $step (i32.eq (local.get $c) (i32.load (i32.add (local.get $t) (i32.shl (local.get $ti) (i32.const 2)))))))
      (if (local.get $step)
        (then
          (local.set $ti (i32.add (local.get $ti) (i32.const 1)))
          (local.set $pi (i32.add (local.get $pi) (i32.const 1))))
        (else
          (if (local.get $has_star)
            (then
              (local.set $pi (local.get $sp))
              (local.set $ti (i32.add (local.get $st) (i32.const 1)))
              (local.set $st (i32.add (local.get $st) (i32.const 1))))
            (else
              (call $release (local.get $mark))
              (return (i32.const 0))))))
      (br $l)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $pi) (local.get $pn)))
      (if (i32.ne (i32.load (i32.add (local.get $p) (i32.shl (local.get $pi) (i32.const 2)))) (i32.const 42))
        (then (call $release (local.get $mark)) (return (i32.const 0))))
      (local.set $pi (i32.add (local.get $pi) (i32.const 1)))
      (br $l)))
  (call $release (local.get $mark))
  (i32.const 1))

;; ---------------------------------------------------------------- numbers and dates

(func $sb_i64 (param $v i64)
  (local $u i64) (local $n i32) (local $tmp i32)
  (local.set $tmp (i32.const %SCRATCH%))
  (local.set $u (local.get $v))
  (if (i64.lt_s (local.get $v) (i64.const 0))
    (then (call $sb_byte (i32.const 45)) (local.set $u (i64.sub (i64.const 0) (local.get $v)))))
  (loop $l
    (i32.store8 (i32.add (local.get $tmp) (local.get $n)) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $u) (i64.const 10)))))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
    (br_if $l (i64.ne (local.get $u) (i64.const 0))))
  (block $done
    (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (call $sb_byte (i32.load8_u (i32.add (local.get $tmp) (local.get $n))))
      (br $l))))

;; Write `n` with at least `width` digits (zero-padded), like `{n:0width}` for n >= 0.
(func $sb_padded (param $n i32) (param $width i32)
  (local $digits i32) (local $x i32)
  (local.set $digits (i32.const 1))
  (local.set $x (local.get $n))
  (block $done
    (loop $l
      (br_if $done (i32.lt_u (local.get $x) (i32.const 10)))
      (local.set $x (i32.div_u (local.get $x) (i32.const 10)))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (br $l)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_s (local.get $digits) (local.get $width)))
      (call $sb_byte (i32.const 48))
      (local.set $width (i32.sub (local.get $width) (i32.const 1)))
      (br $l)))
  (call $sb_i64 (i64.extend_i32_u (local.get $n))))

(func $div_euclid (param $a i32) (param $b i32) (result i32)
  (local $q i32)
  (local.set $q (i32.div_s (local.get $a) (local.get $b)))
  (if (result i32) (i32.lt_s (i32.rem_s (local.get $a) (local.get $b)) (i32.const 0))
    (then (i32.sub (local.get $q) (i32.const 1)))
    (else (local.get $q))))

;; `date::format`: civil date of a day number as YYYY-MM-DD (wrapping like a release build).
(func $sb_date (param $days i32)
  (local $z i32) (local $era i32) (local $doe i32) (local $yoe i32) (local $y i32) (local $doy i32)
  (local $mp i32) (local $d i32) (local $m i32)
  (local.set $z (i32.add (local.get $days) (i32.const 719468)))
  (local.set $era (call $div_euclid (local.get $z) (i32.const 146097)))
  (local.set $doe (i32.sub (local.get $z) (i32.mul (local.get $era) (i32.const 146097))))
  (local.set $yoe (i32.div_s
    (i32.sub (i32.add (i32.sub (local.get $doe) (i32.div_s (local.get $doe) (i32.const 1460)))
                      (i32.div_s (local.get $doe) (i32.const 36524)))
             (i32.div_s (local.get $doe) (i32.const 146096)))
    (i32.const 365)))
  (local.set $y (i32.add (local.get $yoe) (i32.mul (local.get $era) (i32.const 400))))
  (local.set $doy (i32.sub (local.get $doe)
    (i32.sub (i32.add (i32.mul (i32.const 365) (local.get $yoe)) (i32.div_s (local.get $yoe) (i32.const 4)))
             (i32.div_s (local.get $yoe) (i32.const 100)))))
  (local.set $mp (i32.div_s (i32.add (i32.mul (i32.const 5) (local.get $doy)) (i32.const 2)) (i32.const 153)))
  (local.set $d (i32.add (i32.sub (local.get $doy) (i32.div_s (i32.add (i32.mul (i32.const 153) (local.get $mp)) (i32.const 2)) (i32.const 5))) (i32.const 1)))
  (local.set $m (select (i32.add (local.get $mp) (i32.const 3)) (i32.sub (local.get $mp) (i32.const 9)) (i32.lt_s (local.get $mp) (i32.const 10))))
  (if (i32.le_u (local.get $m) (i32.const 2)) (then (local.set $y (i32.add (local.get $y) (i32.const 1)))))
  (if (i32.lt_s (local.get $y) (i32.const 0))
    (then (call $sb_byte (i32.const 45)) (call $sb_padded (i32.sub (i32.const 0) (local.get $y)) (i32.const 3)))
    (else (call $sb_padded (local.get $y) (i32.const 4))))
  (call $sb_byte (i32.const 45))
  (call $sb_padded (local.get $m) (i32.const 2))
  (call $sb_byte (i32.const 45))
  (call $sb_padded (local.get $d) (i32.const 2)))

(func $days_in_month (param $y i32) (param $m i32) (result i32)
  (if (i32.eq (local.get $m) (i32.const 2))
    (then
      (return (select (i32.const 29) (i32.const 28)
        (i32.or (i32.and (i32.eqz (i32.rem_s (local.get $y) (i32.const 4))) (i32.ne (i32.rem_s (local.get $y) (i32.const 100)) (i32.const 0)))
                (i32.eqz (i32.rem_s (local.get $y) (i32.const 400))))))))
  (if (result i32) (i32.or (i32.or (i32.eq (local.get $m) (i32.const 4)) (i32.eq (local.get $m) (i32.const 6)))
                           (i32.or (i32.eq (local.get $m) (i32.const 9)) (i32.eq (local.get $m) (i32.const 11))))
    (then (i32.const 30)) (else (i32.const 31))))

(func $digits (param $p i32) (param $n i32) (result i32)
  (local $v i32) (local $c i32)
  (block $done
    (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
      (if (i32.gt_u (local.get $c) (i32.const 9)) (then (return (i32.const -1))))
      (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $c)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
  (local.get $v))

;; `date::parse`: (ok, day number).
(func $date_parse (param $h i32) (result i32 i32)
  (local $p i32) (local $y i32) (local $m i32) (local $d i32) (local $yy i32) (local $era i32) (local $yoe i32) (local $doy i32) (local $mm i32)
  (if (i32.ne (i32.load (local.get $h)) (i32.const 10)) (then (return (i32.const 0) (i32.const 0))))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (if (i32.or (i32.ne (i32.load8_u offset=4 (local.get $p)) (i32.const 45)) (i32.ne (i32.load8_u offset=7 (local.get $p)) (i32.const 45)))
    (then (return (i32.const 0) (i32.const 0))))
  (local.set $y (call $digits (local.get $p) (i32.const 4)))
  (local.set $m (call $digits (i32.add (local.get $p) (i32.const 5)) (i32.const 2)))
  (local.set $d (call $digits (i32.add (local.get $p) (i32.const 8)) (i32.const 2)))
  (if (i32.or (i32.lt_s (local.get $y) (i32.const 0)) (i32.or (i32.lt_s (local.get $m) (i32.const 1)) (i32.gt_s (local.get $m) (i32.const 12))))
    (then (return (i32.const 0) (i32.const 0))))
  (if (i32.or (i32.lt_s (local.get $d) (i32.const 1)) (i32.gt_s (local.get $d) (call $days_in_month (local.get $y) (local.get $m))))
    (then (return (i32.const 0) (i32.const 0))))
  (local.set $yy (select (i32.sub (local.get $y) (i32.const 1)) (local.get $y) (i32.le_s (local.get $m) (i32.const 2))))
  (local.set $era (call $div_euclid (local.get $yy) (i32.const 400)))
  (local.set $yoe (i32.sub (local.get $yy) (i32.mul (local.get $era) (i32.const 400))))
  (local.set $mm (select (i32.sub (local.get $m) (i32.const 3)) (i32.add (local.get $m) (i32.const 9)) (i32.gt_s (local.get $m) (i32.const 2))))
  (local.set $doy (i32.sub (i32.add (i32.div_s (i32.add (i32.mul (i32.const 153) (local.get $mm)) (i32.const 2)) (i32.const 5)) (local.get $d)) (i32.const 1)))
  (i32.const 1)
  (i32.sub (i32.add (i32.mul (local.get $era) (i32.const 146097))
                    (i32.add (i32.sub (i32.add (i32.mul (local.get $yoe) (i32.const 365)) (i32.div_s (local.get $yoe) (i32.const 4)))
                                      (i32.div_s (local.get $yoe) (i32.const 100)))
                             (local.get $doy)))
           (i32.const 719468)))

;; `s.trim().parse::<i64>()`: (ok, value).
(func $parse_i64 (param $h i32) (result i32 i64)
  (local $p i32) (local $end i32) (local $neg i32) (local $v i64) (local $c i64) (local $any i32)
  (local.set $h (call $str_trim (local.get $h)))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (if (i32.lt_u (local.get $p) (local.get $end))
    (then
      (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 45))
        (then (local.set $neg (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1))))
        (else (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 43))
          (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))))
  ;; Accumulate negatively so i64::MIN parses.
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $c (i64.extend_i32_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48))))
      (if (i64.gt_u (local.get $c) (i64.const 9)) (then (return (i32.const 0) (i64.const 0))))
      (if (i64.lt_s (local.get $v) (i64.const -922337203685477580)) (then (return (i32.const 0) (i64.const 0))))
      (local.set $v (i64.mul (local.get $v) (i64.const 10)))
      (if (i64.lt_s (local.get $v) (i64.add (i64.const 0x8000000000000000) (local.get $c))) (then (return (i32.const 0) (i64.const 0))))
      (local.set $v (i64.sub (local.get $v) (local.get $c)))
      (local.set $any (i32.const 1))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (if (i32.eqz (local.get $any)) (then (return (i32.const 0) (i64.const 0))))
  (if (local.get $neg) (then (return (i32.const 1) (local.get $v))))
  (if (i64.eq (local.get $v) (i64.const 0x8000000000000000)) (then (return (i32.const 0) (i64.const 0))))
  (i32.const 1) (i64.sub (i64.const 0) (local.get $v)))
