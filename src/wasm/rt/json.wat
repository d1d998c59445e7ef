;; JSON: a reader that builds a DOM of the input (as serde_json with
;; `preserve_order` and `arbitrary_precision` reads it) and the writers for the
;; compact (`to_string`) and pretty (`to_string_pretty`) forms.
;;
;; A node starts with its kind word: kind in the low byte, then flags:
;;   0x100 the subtree holds a string (or key) that is not valid UTF-8 text,
;;   0x200 the subtree nests deeper than serde_json's recursion limit,
;;   0x400 (key nodes) the key was repeated in its object,
;;   0x800 (objects) one of the object's own keys is invalid.
;; Strings {kind, len, data}; numbers {kind, len, data, is_int, _, i64};
;; arrays {kind, count, items}; objects {kind, count, entries [(key, value)]}.
;; Invalid strings and deep nesting are only errors where serde would read the
;; value (it skips unknown fields without looking), so they are flags, not errors.

(global $jp (mut i32) (i32.const 0))
(global $jstart (mut i32) (i32.const 0))
(global $jend (mut i32) (i32.const 0))
(global $err_code (mut i32) (i32.const 0))
(global $err_msg (mut i32) (i32.const 0))

(func $kind (param $n i32) (result i32) (i32.and (i32.load (local.get $n)) (i32.const 0xFF)))
(func $flags (param $n i32) (result i32) (i32.and (i32.load (local.get $n)) (i32.const 0x300)))

;; Record an error (the first one wins); returns 0 for convenient propagation.
(func $fail (param $code i32) (param $msg i32) (result i32)
  (if (i32.eqz (global.get $err_code))
    (then (global.set $err_code (local.get $code)) (global.set $err_msg (local.get $msg))))
  (i32.const 0))

;; A syntax error: the message with "at line L column C" of the current position.
(func $json_fail (param $msg i32) (result i32)
  (local $p i32) (local $line i32) (local $col i32) (local $m i32)
  (if (global.get $err_code) (then (return (i32.const 0))))
  (local.set $line (i32.const 1))
  (local.set $p (global.get $jstart))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (global.get $jp)))
      (br_if $done (i32.ge_u (local.get $p) (global.get $jend)))
      (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 10))
        (then (local.set $line (i32.add (local.get $line) (i32.const 1))) (local.set $col (i32.const 0)))
        (else (local.set $col (i32.add (local.get $col) (i32.const 1)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (local.set $m (call $sb_begin))
  (call $sb_str (i32.const %S_INVALID_JSON%))
  (call $sb_str (local.get $msg))
  (call $sb_str (i32.const %S_AT_LINE%))
  (call $sb_i64 (i64.extend_i32_u (local.get $line)))
  (call $sb_str (i32.const %S_COLUMN%))
  (call $sb_i64 (i64.extend_i32_u (select (local.get $col) (i32.const 1) (local.get $col))))
  (call $fail (i32.const %E_JSON%) (call $sb_end (local.get $m))))

(func $peek (result i32)
  (if (result i32) (i32.lt_u (global.get $jp) (global.get $jend))
    (then (i32.load8_u (global.get $jp)))
    (else (i32.const -1))))

(func $skip_ws
  (local $c i32) (local $p i32) (local $end i32)
  (local.set $p (global.get $jp))
  (local.set $end (global.get $jend))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $c (i32.load8_u (local.get $p)))
      (br_if $done (i32.gt_u (local.get $c) (i32.const 32)))
      (if (i32.and (i32.le_u (i32.add (local.get $p) (i32.const 8)) (local.get $end))
                   (i64.eq (i64.load (local.get $p)) (i64.const 0x2020202020202020)))
        (then (local.set $p (i32.add (local.get $p) (i32.const 8))) (br $l)))
      (br_if $done (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 10)))
                                    (i32.or (i32.eq (local.get $c) (i32.const 9)) (i32.eq (local.get $c) (i32.const 13))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (global.set $jp (local.get $p)))

;; Parse a whole document: the root node, or 0 with the error recorded.
(func $parse_document (param $p i32) (param $n i32) (result i32)
  (local $root i32)
  (global.set $jstart (local.get $p))
  (global.set $jp (local.get $p))
  (global.set $jend (i32.add (local.get $p) (local.get $n)))
  (call $skip_ws)
  (local.set $root (call $parse_value (i32.const 0)))
  (if (i32.eqz (local.get $root)) (then (return (i32.const 0))))
  (call $skip_ws)
  (if (i32.lt_u (global.get $jp) (global.get $jend))
    (then (return (call $json_fail (i32.const %S_TRAILING%)))))
  (local.get $root))

(func $parse_value (param $level i32) (result i32)
  (local $c i32)
  (local.set $c (call $peek))
  (if (i32.eq (local.get $c) (i32.const 34)) (then (return (call $parse_string))))
  (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
    (then
      (if (i32.ge_u (local.get $level) (i32.const 127))
        (then (return (call $skip_deep))))
      (if (i32.eq (local.get $c) (i32.const 123))
        (then (return (call $parse_object (i32.add (local.get $level) (i32.const 1))))))
      (return (call $parse_array (i32.add (local.get $level) (i32.const 1))))))
  (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
    (then (return (call $parse_number))))
  (if (i32.eq (local.get $c) (i32.const 116))
    (then (return (call $literal (i32.const %S_TRUE%) (i32.const %NODE_TRUE%)))))
  (if (i32.eq (local.get $c) (i32.const 102))
    (then (return (call $literal (i32.const %S_FALSE%) (i32.const %NODE_FALSE%)))))
  (if (i32.eq (local.get $c) (i32.const 110))
    (then (return (call $literal (i32.const %S_NULL%) (i32.const %NODE_NULL%)))))
  (if (i32.lt_s (local.get $c) (i32.const 0))
    (then (return (call $json_fail (i32.const %S_EOF_VALUE%)))))
  (call $json_fail (i32.const %S_EXPECTED_VALUE%)))

(func $literal (param $word i32) (param $node i32) (result i32)
  (local $n i32) (local $i i32)
  (local.set $n (i32.load (local.get $word)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ge_u (global.get $jp) (global.get $jend))
        (then (return (call $json_fail (i32.const %S_EOF_VALUE%)))))
      (if (i32.ne (i32.load8_u (global.get $jp)) (i32.load8_u (i32.add (i32.load offset=4 (local.get $word)) (local.get $i))))
        (then (return (call $json_fail (i32.const %S_EXPECTED_IDENT%)))))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $node))

(func $hex4 (result i32)
  (local $i i32) (local $v i32) (local $c i32)
  (if (i32.gt_u (i32.add (global.get $jp) (i32.const 4)) (global.get $jend))
    (then (global.set $jp (global.get $jend)) (return (i32.const -2))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 4)))
      (local.set $c (i32.load8_u (global.get $jp)))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (local.set $v (i32.shl (local.get $v) (i32.const 4)))
      (if (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
        (then (local.set $v (i32.or (local.get $v) (i32.sub (local.get $c) (i32.const 48)))))
        (else
          (local.set $c (i32.or (local.get $c) (i32.const 0x20)))
          (if (i32.lt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 6))
            (then (local.set $v (i32.or (local.get $v) (i32.sub (local.get $c) (i32.const 87)))))
            (else (return (i32.const -1))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $v))

;; Length of the valid UTF-8 sequence at `p` (before `end`), or 0 if invalid.
(func $utf8_valid_len (param $p i32) (param $end i32) (result i32)
  (local $b i32) (local $n i32) (local $lo i32) (local $hi i32) (local $i i32)
  (local.set $b (i32.load8_u (local.get $p)))
  (if (i32.lt_u (local.get $b) (i32.const 0x80)) (then (return (i32.const 1))))
  (local.set $lo (i32.const 0x80))
  (local.set $hi (i32.const 0xBF))
  (block $known
    (if (i32.lt_u (i32.sub (local.get $b) (i32.const 0xC2)) (i32.const 30)) (then (local.set $n (i32.const 2)) (br $known)))
    (if (i32.eq (local.get $b) (i32.const 0xE0)) (then (local.set $n (i32.const 3)) (local.set $lo (i32.const 0xA0)) (br $known)))
    (if (i32.eq (local.get $b) (i32.const 0xED)) (then (local.set $n (i32.const 3)) (local.set $hi (i32.const 0x9F)) (br $known)))
    (if (i32.lt_u (i32.sub (local.get $b) (i32.const 0xE1)) (i32.const 15)) (then (local.set $n (i32.const 3)) (br $known)))
    (if (i32.eq (local.get $b) (i32.const 0xF0)) (then (local.set $n (i32.const 4)) (local.set $lo (i32.const 0x90)) (br $known)))
    (if (i32.eq (local.get $b) (i32.const 0xF4)) (then (local.set $n (i32.const 4)) (local.set $hi (i32.const 0x8F)) (br $known)))
    (if (i32.lt_u (i32.sub (local.get $b) (i32.const 0xF1)) (i32.const 3)) (then (local.set $n (i32.const 4)) (br $known)))
    (return (i32.const 0)))
  (if (i32.gt_u (i32.add (local.get $p) (local.get $n)) (local.get $end)) (then (return (i32.const 0))))
  (local.set $b (i32.load8_u offset=1 (local.get $p)))
  (if (i32.or (i32.lt_u (local.get $b) (local.get $lo)) (i32.gt_u (local.get $b) (local.get $hi))) (then (return (i32.const 0))))
  (local.set $i (i32.const 2))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (i32.and (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 0xC0)) (i32.const 0x80))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $n))

(func $parse_string (result i32)
  (local $w i64) (local $end i32)
  (local $p i32) (local $start i32) (local $c i32) (local $fast i32) (local $node i32) (local $bad i32)
  (local $m i32) (local $u i32) (local $u2 i32) (local $n i32) (local $h i32)
  (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
  (local.set $start (global.get $jp))
  ;; Fast path: no escapes and plain ASCII: a view into the input.
  (local.set $p (local.get $start))
  (local.set $end (global.get $jend))
  (block $slow
    (block $done
      (loop $l
        ;; Eight bytes at a time while none is `"`, `\`, a control character or non-ASCII.
        (block $bytewise
          (loop $words
            (br_if $bytewise (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
            (local.set $w (i64.load (local.get $p)))
            ;; The lowest flagged byte is exactly the first special one (borrows
            ;; only run upwards; any non-ASCII byte is flagged itself).
            (local.set $w (i64.and (i64.const 0x8080808080808080)
              (i64.or (i64.or (local.get $w) (i64.sub (local.get $w) (i64.const 0x2020202020202020)))
                      (i64.or (i64.sub (i64.xor (local.get $w) (i64.const 0x2222222222222222)) (i64.const 0x0101010101010101))
                              (i64.sub (i64.xor (local.get $w) (i64.const 0x5c5c5c5c5c5c5c5c)) (i64.const 0x0101010101010101))))))
            (if (i64.ne (local.get $w) (i64.const 0))
              (then
                (local.set $p (i32.add (local.get $p) (i32.wrap_i64 (i64.shr_u (i64.ctz (local.get $w)) (i64.const 3)))))
                (br $bytewise)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $words)))
        (br_if $slow (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done (i32.eq (local.get $c) (i32.const 34)))
        (br_if $slow (i32.or (i32.eq (local.get $c) (i32.const 92))
                             (i32.or (i32.lt_u (local.get $c) (i32.const 32)) (i32.ge_u (local.get $c) (i32.const 128)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $l)))
    (local.set $node (call $alloc (i32.const 12)))
    (i32.store (local.get $node) (i32.const %K_STR%))
    (i32.store offset=4 (local.get $node) (i32.sub (local.get $p) (local.get $start)))
    (i32.store offset=8 (local.get $node) (local.get $start))
    (global.set $jp (i32.add (local.get $p) (i32.const 1)))
    (return (local.get $node)))
  ;; Slow path: decode into the builder.
  (local.set $m (call $sb_begin))
  (block $done
    (loop $l
      (if (i32.ge_u (global.get $jp) (global.get $jend))
        (then (global.set $sb_len (local.get $m)) (return (call $json_fail (i32.const %S_EOF_STRING%)))))
      (local.set $c (i32.load8_u (global.get $jp)))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then (global.set $jp (i32.add (global.get $jp) (i32.const 1))) (br $done)))
      (if (i32.lt_u (local.get $c) (i32.const 32))
        (then (global.set $sb_len (local.get $m)) (return (call $json_fail (i32.const %S_CONTROL%)))))
      (if (i32.ge_u (local.get $c) (i32.const 128))
        (then
          (local.set $n (call $utf8_valid_len (global.get $jp) (global.get $jend)))
          (if (i32.eqz (local.get $n))
            (then (local.set $bad (i32.const 1)) (local.set $n (i32.const 1))))
          (call $sb_bytes (global.get $jp) (local.get $n))
          (global.set $jp (i32.add (global.get $jp) (local.get $n)))
          (br $l)))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (if (i32.ne (local.get $c) (i32.const 92))
        (then (call $sb_byte (local.get $c)) (br $l)))
      ;; An escape.
      (if (i32.ge_u (global.get $jp) (global.get $jend))
        (then (global.set $sb_len (local.get $m)) (return (call $json_fail (i32.const %S_EOF_STRING%)))))
      (local.set $c (i32.load8_u (global.get $jp)))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (block $simple
        (block $unicode
          (if (i32.eq (local.get $c) (i32.const 117)) (then (br $unicode)))
          (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 34)) (i32.eq (local.get $c) (i32.const 92))) (i32.eq (local.get $c) (i32.const 47)))
            (then (call $sb_byte (local.get $c)) (br $simple)))
          (if (i32.eq (local.get $c) (i32.const 98)) (then (call $sb_byte (i32.const 8)) (br $simple)))
          (if (i32.eq (local.get $c) (i32.const 102)) (then (call $sb_byte (i32.const 12)) (br $simple)))
          (if (i32.eq (local.get $c) (i32.const 110)) (then (call $sb_byte (i32.const 10)) (br $simple)))
          (if (i32.eq (local.get $c) (i32.const 114)) (then (call $sb_byte (i32.const 13)) (br $simple)))
          (if (i32.eq (local.get $c) (i32.const 116)) (then (call $sb_byte (i32.const 9)) (br $simple)))
          (global.set $sb_len (local.get $m))
          (return (call $json_fail (i32.const %S_BAD_ESCAPE%))))
        ;; \uXXXX, with surrogate pairs; a lone surrogate makes the string invalid text.
        (local.set $u (call $hex4))
        (if (i32.lt_s (local.get $u) (i32.const 0))
          (then (global.set $sb_len (local.get $m))
                (return (call $json_fail (select (i32.const %S_EOF_STRING%) (i32.const %S_BAD_ESCAPE%) (i32.eq (local.get $u) (i32.const -2)))))))
        (block $emitted
          (if (i32.eq (i32.and (local.get $u) (i32.const 0xFC00)) (i32.const 0xDC00))
            (then (local.set $bad (i32.const 1)) (call $sb_utf8 (i32.const 0xFFFD)) (br $emitted)))
          (if (i32.ne (i32.and (local.get $u) (i32.const 0xFC00)) (i32.const 0xD800))
            (then (call $sb_utf8 (local.get $u)) (br $emitted)))
          ;; A leading surrogate: a trailing one must follow as \uXXXX.
          (if (i32.and (i32.lt_u (i32.add (global.get $jp) (i32.const 1)) (global.get $jend))
                       (i32.and (i32.eq (i32.load8_u (global.get $jp)) (i32.const 92))
                                (i32.eq (i32.load8_u offset=1 (global.get $jp)) (i32.const 117))))
            (then
              (global.set $jp (i32.add (global.get $jp) (i32.const 2)))
              (local.set $u2 (call $hex4))
              (if (i32.lt_s (local.get $u2) (i32.const 0))
                (then (global.set $sb_len (local.get $m))
                      (return (call $json_fail (select (i32.const %S_EOF_STRING%) (i32.const %S_BAD_ESCAPE%) (i32.eq (local.get $u2) (i32.const -2)))))))
              (if (i32.eq (i32.and (local.get $u2) (i32.const 0xFC00)) (i32.const 0xDC00))
                (then
                  (call $sb_utf8 (i32.add (i32.const 0x10000)
                    (i32.or (i32.shl (i32.sub (local.get $u) (i32.const 0xD800)) (i32.const 10))
                            (i32.sub (local.get $u2) (i32.const 0xDC00)))))
                  (br $emitted)))
              ;; Not a trailing surrogate: invalid text (serde rejects it when read).
              (local.set $bad (i32.const 1))
              (call $sb_utf8 (i32.const 0xFFFD))
              (if (i32.eq (i32.and (local.get $u2) (i32.const 0xF800)) (i32.const 0xD800))
                (then (call $sb_utf8 (i32.const 0xFFFD)))
                (else (call $sb_utf8 (local.get $u2))))
              (br $emitted)))
          (local.set $bad (i32.const 1))
          (call $sb_utf8 (i32.const 0xFFFD))))
      (br $l)))
  (local.set $h (call $sb_end (local.get $m)))
  (local.set $node (call $alloc (i32.const 12)))
  (i32.store (local.get $node) (i32.or (i32.const %K_STR%) (select (i32.const 0x100) (i32.const 0) (local.get $bad))))
  (i32.store offset=4 (local.get $node) (i32.load (local.get $h)))
  (i32.store offset=8 (local.get $node) (i32.load offset=4 (local.get $h)))
  (local.get $node))

(func $scan_digits (result i32)
  (local $n i32)
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (global.get $jp) (global.get $jend)))
      (br_if $done (i32.ge_u (i32.sub (i32.load8_u (global.get $jp)) (i32.const 48)) (i32.const 10)))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
  (local.get $n))

;; Numbers keep their text as serde_json's arbitrary_precision does: the exponent
;; marker becomes `e` and gains an explicit sign.
(func $parse_number (result i32)
  (local $start i32) (local $c i32) (local $node i32) (local $exp i32) (local $frac i32)
  (local $h i32) (local $ok i32) (local $v i64) (local $m i32) (local $epos i32) (local $esign i32)
  (local.set $start (global.get $jp))
  (if (i32.eq (call $peek) (i32.const 45)) (then (global.set $jp (i32.add (global.get $jp) (i32.const 1)))))
  (local.set $c (call $peek))
  (if (i32.eq (local.get $c) (i32.const 48))
    (then
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (if (i32.lt_u (i32.sub (call $peek) (i32.const 48)) (i32.const 10))
        (then (return (call $json_fail (i32.const %S_BAD_NUMBER%))))))
    (else
      (if (i32.ge_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
        (then (return (call $json_fail (select (i32.const %S_EOF_VALUE%) (i32.const %S_BAD_NUMBER%) (i32.lt_s (local.get $c) (i32.const 0)))))))
      (drop (call $scan_digits))))
  (if (i32.eq (call $peek) (i32.const 46))
    (then
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (local.set $frac (i32.const 1))
      (if (i32.eqz (call $scan_digits))
        (then (return (call $json_fail (select (i32.const %S_EOF_VALUE%) (i32.const %S_BAD_NUMBER%) (i32.lt_s (call $peek) (i32.const 0)))))))))
  (local.set $c (call $peek))
  (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 101))
    (then
      (local.set $exp (i32.const 1))
      (local.set $epos (global.get $jp))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (local.set $c (call $peek))
      (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
        (then (local.set $esign (i32.const 1)) (global.set $jp (i32.add (global.get $jp) (i32.const 1)))))
      (if (i32.eqz (call $scan_digits))
        (then (return (call $json_fail (select (i32.const %S_EOF_VALUE%) (i32.const %S_BAD_NUMBER%) (i32.lt_s (call $peek) (i32.const 0)))))))))
  (local.set $node (call $alloc (i32.const 24)))
  (if (i32.and (local.get $exp)
               (i32.or (i32.eqz (local.get $esign)) (i32.eq (i32.load8_u (local.get $epos)) (i32.const 69))))
    (then
      (local.set $m (call $sb_begin))
      (call $sb_bytes (local.get $start) (i32.sub (local.get $epos) (local.get $start)))
      (call $sb_byte (i32.const 101))
      (if (i32.eqz (local.get $esign)) (then (call $sb_byte (i32.const 43))))
      (call $sb_bytes (i32.add (local.get $epos) (i32.const 1)) (i32.sub (global.get $jp) (i32.add (local.get $epos) (i32.const 1))))
      (local.set $h (call $sb_end (local.get $m))))
    (else (local.set $h (call $str_view (local.get $start) (i32.sub (global.get $jp) (local.get $start))))))
  (i32.store (local.get $node) (i32.const %K_NUM%))
  (i32.store offset=4 (local.get $node) (i32.load (local.get $h)))
  (i32.store offset=8 (local.get $node) (i32.load offset=4 (local.get $h)))
  (if (i32.eqz (i32.or (local.get $exp) (local.get $frac)))
    (then
      (call $parse_i64 (local.get $h))
      (local.set $v)
      (local.set $ok)
      (i32.store offset=12 (local.get $node) (local.get $ok))
      (i64.store offset=16 (local.get $node) (local.get $v))))
  (local.get $node))

(func $parse_array (param $level i32) (result i32)
  (local $items i32) (local $n i32) (local $cap i32) (local $v i32) (local $node i32) (local $new i32) (local $fl i32)
  (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
  (local.set $node (call $alloc (i32.const 12)))
  (local.set $cap (i32.const 4))
  (local.set $items (call $alloc (i32.const 16)))
  (call $skip_ws)
  (if (i32.eq (call $peek) (i32.const 93))
    (then (global.set $jp (i32.add (global.get $jp) (i32.const 1))))
    (else
      (loop $l
        (local.set $v (call $parse_value (local.get $level)))
        (if (i32.eqz (local.get $v)) (then (return (i32.const 0))))
        (local.set $fl (i32.or (local.get $fl) (call $flags (local.get $v))))
        (if (i32.eq (local.get $n) (local.get $cap))
          (then
            (local.set $new (call $alloc (i32.shl (local.get $cap) (i32.const 3))))
            (memory.copy (local.get $new) (local.get $items) (i32.shl (local.get $cap) (i32.const 2)))
            (local.set $items (local.get $new))
            (local.set $cap (i32.shl (local.get $cap) (i32.const 1)))))
        (i32.store (i32.add (local.get $items) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (call $skip_ws)
        (if (i32.eq (call $peek) (i32.const 44))
          (then
            (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
            (call $skip_ws)
            (if (i32.eq (call $peek) (i32.const 93)) (then (return (call $json_fail (i32.const %S_TRAILING_COMMA%)))))
            (br $l)))
        (if (i32.eq (call $peek) (i32.const 93))
          (then (global.set $jp (i32.add (global.get $jp) (i32.const 1))))
          (else (return (call $json_fail (select (i32.const %S_EOF_LIST%) (i32.const %S_EXPECTED_LIST%) (i32.lt_s (call $peek) (i32.const 0))))))))))
  (i32.store (local.get $node) (i32.or (i32.const %K_ARR%) (local.get $fl)))
  (i32.store offset=4 (local.get $node) (local.get $n))
  (i32.store offset=8 (local.get $node) (local.get $items))
  (local.get $node))

(func $parse_object (param $level i32) (result i32)
  (local $entries i32) (local $n i32) (local $cap i32) (local $k i32) (local $v i32) (local $node i32)
  (local $new i32) (local $fl i32) (local $i i32) (local $e i32) (local $own i32)
  (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
  (local.set $node (call $alloc (i32.const 12)))
  (local.set $cap (i32.const 4))
  (local.set $entries (call $alloc (i32.const 32)))
  (call $skip_ws)
  (if (i32.eq (call $peek) (i32.const 125))
    (then (global.set $jp (i32.add (global.get $jp) (i32.const 1))))
    (else
      (loop $l
        (if (i32.ne (call $peek) (i32.const 34))
          (then (return (call $json_fail (select (i32.const %S_EOF_OBJECT%) (i32.const %S_KEY_STRING%) (i32.lt_s (call $peek) (i32.const 0)))))))
        (local.set $k (call $parse_string))
        (if (i32.eqz (local.get $k)) (then (return (i32.const 0))))
        (if (i32.and (i32.load (local.get $k)) (i32.const 0x100)) (then (local.set $own (i32.const 0x900))))
        (call $skip_ws)
        (if (i32.ne (call $peek) (i32.const 58))
          (then (return (call $json_fail (select (i32.const %S_EOF_OBJECT%) (i32.const %S_COLON%) (i32.lt_s (call $peek) (i32.const 0)))))))
        (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
        (call $skip_ws)
        (local.set $v (call $parse_value (local.get $level)))
        (if (i32.eqz (local.get $v)) (then (return (i32.const 0))))
        (local.set $fl (i32.or (local.get $fl) (call $flags (local.get $v))))
        ;; A repeated key keeps its place and takes the later value (IndexMap::insert).
        (local.set $i (i32.const 0))
        (block $inserted
          (block $new_key
            (loop $scan
              (br_if $new_key (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $e (i32.add (local.get $entries) (i32.shl (local.get $i) (i32.const 3))))
              (if (i32.and (i32.eq (i32.load offset=4 (i32.load (local.get $e))) (i32.load offset=4 (local.get $k)))
                           (call $str_eq (i32.add (i32.load (local.get $e)) (i32.const 4)) (i32.add (local.get $k) (i32.const 4))))
                (then
                  (i32.store offset=4 (local.get $e) (local.get $v))
                  (i32.store (i32.load (local.get $e)) (i32.or (i32.load (i32.load (local.get $e))) (i32.const 0x400)))
                  (br $inserted)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $scan)))
          (if (i32.eq (local.get $n) (local.get $cap))
            (then
              (local.set $new (call $alloc (i32.shl (local.get $cap) (i32.const 4))))
              (memory.copy (local.get $new) (local.get $entries) (i32.shl (local.get $cap) (i32.const 3)))
              (local.set $entries (local.get $new))
              (local.set $cap (i32.shl (local.get $cap) (i32.const 1)))))
          (local.set $e (i32.add (local.get $entries) (i32.shl (local.get $n) (i32.const 3))))
          (i32.store (local.get $e) (local.get $k))
          (i32.store offset=4 (local.get $e) (local.get $v))
          (local.set $n (i32.add (local.get $n) (i32.const 1))))
        (call $skip_ws)
        (if (i32.eq (call $peek) (i32.const 44))
          (then
            (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
            (call $skip_ws)
            (if (i32.eq (call $peek) (i32.const 125)) (then (return (call $json_fail (i32.const %S_TRAILING_COMMA%)))))
            (br $l)))
        (if (i32.eq (call $peek) (i32.const 125))
          (then (global.set $jp (i32.add (global.get $jp) (i32.const 1))))
          (else (return (call $json_fail (select (i32.const %S_EOF_OBJECT%) (i32.const %S_EXPECTED_OBJECT%) (i32.lt_s (call $peek) (i32.const 0))))))))))
  (i32.store (local.get $node) (i32.or (i32.or (i32.const %K_OBJ%) (local.get $fl)) (local.get $own)))
  (i32.store offset=4 (local.get $node) (local.get $n))
  (i32.store offset=8 (local.get $node) (local.get $entries))
  (local.get $node))

;; Deeper than serde_json would read: check the syntax without recursion (serde
;; skips such a value when it is an unknown field) and return a flagged stub.
(func $skip_deep (result i32)
  (local $depth i32) (local $c i32) (local $node i32) (local $stack i32) (local $cap i32) (local $new i32)
  (local $expect_value i32) (local $top i32)
  (local.set $cap (i32.const 256))
  (local.set $stack (call $alloc (local.get $cap)))
  (local.set $expect_value (i32.const 1))
  (block $done
    (loop $l
      (call $skip_ws)
      (local.set $c (call $peek))
      (if (i32.lt_s (local.get $c) (i32.const 0)) (then (return (call $json_fail (i32.const %S_EOF_VALUE%)))))
      (if (local.get $expect_value)
        (then
          (if (i32.or (i32.eq (local.get $c) (i32.const 91)) (i32.eq (local.get $c) (i32.const 123)))
            (then
              (if (i32.eq (local.get $depth) (local.get $cap))
                (then
                  (local.set $new (call $alloc (i32.shl (local.get $cap) (i32.const 1))))
                  (memory.copy (local.get $new) (local.get $stack) (local.get $cap))
                  (local.set $stack (local.get $new))
                  (local.set $cap (i32.shl (local.get $cap) (i32.const 1)))))
              (i32.store8 (i32.add (local.get $stack) (local.get $depth)) (local.get $c))
              (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
              (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
              (call $skip_ws)
              ;; An empty container closes at once.
              (if (i32.eq (call $peek) (i32.add (local.get $c) (i32.const 2)))
                (then
                  (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
                  (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                  (local.set $expect_value (i32.const 0))
                  (br_if $done (i32.eqz (local.get $depth)))
                  (br $l)))
              (if (i32.eq (local.get $c) (i32.const 123))
                (then
                  (if (i32.ne (call $peek) (i32.const 34)) (then (return (call $json_fail (i32.const %S_KEY_STRING%)))))
                  (if (i32.eqz (call $parse_string)) (then (return (i32.const 0))))
                  (call $skip_ws)
                  (if (i32.ne (call $peek) (i32.const 58)) (then (return (call $json_fail (i32.const %S_COLON%)))))
                  (global.set $jp (i32.add (global.get $jp) (i32.const 1)))))
              (br $l)))
          (if (i32.eqz (call $parse_scalar)) (then (return (i32.const 0))))
          (local.set $expect_value (i32.const 0))
          (br_if $done (i32.eqz (local.get $depth)))
          (br $l)))
      ;; After a value: `,` or the closing bracket of the innermost container.
      (local.set $top (i32.load8_u (i32.add (local.get $stack) (i32.sub (local.get $depth) (i32.const 1)))))
      (if (i32.eq (local.get $c) (i32.const 44))
        (then
          (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
          (call $skip_ws)
          (if (i32.eq (local.get $top) (i32.const 123))
            (then
              (if (i32.ne (call $peek) (i32.const 34)) (then (return (call $json_fail (i32.const %S_KEY_STRING%)))))
              (if (i32.eqz (call $parse_string)) (then (return (i32.const 0))))
              (call $skip_ws)
              (if (i32.ne (call $peek) (i32.const 58)) (then (return (call $json_fail (i32.const %S_COLON%)))))
              (global.set $jp (i32.add (global.get $jp) (i32.const 1)))))
          (local.set $expect_value (i32.const 1))
          (br $l)))
      (if (i32.ne (local.get $c) (i32.add (local.get $top) (i32.const 2)))
        (then (return (call $json_fail (select (i32.const %S_EXPECTED_OBJECT%) (i32.const %S_EXPECTED_LIST%) (i32.eq (local.get $top) (i32.const 123)))))))
      (global.set $jp (i32.add (global.get $jp) (i32.const 1)))
      (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
      (br_if $done (i32.eqz (local.get $depth)))
      (br $l)))
  (local.set $node (call $alloc (i32.const 12)))
  (i32.store (local.get $node) (i32.or (i32.const %K_ARR%) (i32.const 0x200)))
  (local.get $node))

(func $parse_scalar (result i32)
  (local $c i32)
  (local.set $c (call $peek))
  (if (i32.eq (local.get $c) (i32.const 34)) (then (return (call $parse_string))))
  (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
    (then (return (call $json_fail (i32.const %S_EXPECTED_VALUE%)))))
  (call $parse_value (i32.const 0)))

;; ---------------------------------------------------------------- DOM access

(func $arr_count (param $n i32) (result i32) (i32.load offset=4 (local.get $n)))
(func $arr_item (param $n i32) (param $i i32) (result i32)
  (i32.load (i32.add (i32.load offset=8 (local.get $n)) (i32.shl (local.get $i) (i32.const 2)))))
(func $obj_key (param $n i32) (param $i i32) (result i32)
  (i32.add (i32.load (i32.add (i32.load offset=8 (local.get $n)) (i32.shl (local.get $i) (i32.const 3)))) (i32.const 4)))
(func $obj_val (param $n i32) (param $i i32) (result i32)
  (i32.load offset=4 (i32.add (i32.load offset=8 (local.get $n)) (i32.shl (local.get $i) (i32.const 3)))))

;; Index of `key` in an object node, or -1.
(func $obj_find (param $n i32) (param $key i32) (result i32)
  (local $i i32) (local $c i32) (local $e i32) (local $len i32) (local $k i32)
  (local.set $c (i32.load offset=4 (local.get $n)))
  (local.set $e (i32.load offset=8 (local.get $n)))
  (local.set $len (i32.load (local.get $key)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $c)))
      (local.set $k (i32.add (i32.load (local.get $e)) (i32.const 4)))
      (if (i32.eq (i32.load (local.get $k)) (local.get $len))
        (then (if (call $str_eq (local.get $k) (local.get $key)) (then (return (local.get $i))))))
      (local.set $e (i32.add (local.get $e) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (i32.const -1))

;; `serde_json::Value::get(key)`: the member of an object node, or 0.
(func $node_get (param $n i32) (param $key i32) (result i32)
  (local $i i32)
  (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
  (if (i32.ne (call $kind (local.get $n)) (i32.const %K_OBJ%)) (then (return (i32.const 0))))
  (local.set $i (call $obj_find (local.get $n) (local.get $key)))
  (if (result i32) (i32.lt_s (local.get $i) (i32.const 0))
    (then (i32.const 0))
    (else (call $obj_val (local.get $n) (local.get $i)))))

;; `serde_json::Value::get(index)`: the element of an array node, or 0.
(func $node_at (param $n i32) (param $i i64) (result i32)
  (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
  (if (i32.ne (call $kind (local.get $n)) (i32.const %K_ARR%)) (then (return (i32.const 0))))
  (if (result i32) (i64.lt_u (local.get $i) (i64.extend_i32_u (call $arr_count (local.get $n))))
    (then (call $arr_item (local.get $n) (i32.wrap_i64 (local.get $i))))
    (else (i32.const 0))))

(func $is_true_node (param $n i32) (result i32)
  (if (result i32) (local.get $n)
    (then (i32.eq (call $kind (local.get $n)) (i32.const %K_TRUE%)))
    (else (i32.const 0))))

;; `serde_json::Value` equality: numbers by their text, objects ignoring order.
(func $node_eq (param $a i32) (param $b i32) (result i32)
  (local $k i32) (local $i i32) (local $n i32) (local $j i32)
  (local.set $k (call $kind (local.get $a)))
  (if (i32.ne (local.get $k) (call $kind (local.get $b))) (then (return (i32.const 0))))
  (if (i32.or (i32.eq (local.get $k) (i32.const %K_STR%)) (i32.eq (local.get $k) (i32.const %K_NUM%)))
    (then (return (call $str_eq (i32.add (local.get $a) (i32.const 4)) (i32.add (local.get $b) (i32.const 4))))))
  (if (i32.lt_u (local.get $k) (i32.const %K_NUM%)) (then (return (i32.const 1))))
  (local.set $n (call $arr_count (local.get $a)))
  (if (i32.ne (local.get $n) (call $arr_count (local.get $b))) (then (return (i32.const 0))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.eq (local.get $k) (i32.const %K_ARR%))
        (then
          (if (i32.eqz (call $node_eq (call $arr_item (local.get $a) (local.get $i)) (call $arr_item (local.get $b) (local.get $i))))
            (then (return (i32.const 0)))))
        (else
          (local.set $j (call $obj_find (local.get $b) (call $obj_key (local.get $a) (local.get $i))))
          (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const 0))))
          (if (i32.eqz (call $node_eq (call $obj_val (local.get $a) (local.get $i)) (call $obj_val (local.get $b) (local.get $j))))
            (then (return (i32.const 0))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (i32.const 1))

;; ---------------------------------------------------------------- writing

;; A JSON string literal, escaped as serde_json does.
(func $w_json_str (param $h i32)
  (local $p i32) (local $end i32) (local $run i32) (local $c i32)
  (call $sb_byte (i32.const 34))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (local.set $run (local.get $p))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.or (i32.lt_u (local.get $c) (i32.const 32)) (i32.or (i32.eq (local.get $c) (i32.const 34)) (i32.eq (local.get $c) (i32.const 92))))
        (then
          (call $sb_bytes (local.get $run) (i32.sub (local.get $p) (local.get $run)))
          (local.set $run (i32.add (local.get $p) (i32.const 1)))
          (call $sb_byte (i32.const 92))
          (block $esc
            (if (i32.eq (local.get $c) (i32.const 34)) (then (call $sb_byte (i32.const 34)) (br $esc)))
            (if (i32.eq (local.get $c) (i32.const 92)) (then (call $sb_byte (i32.const 92)) (br $esc)))
            (if (i32.eq (local.get $c) (i32.const 8)) (then (call $sb_byte (i32.const 98)) (br $esc)))
            (if (i32.eq (local.get $c) (i32.const 12)) (then (call $sb_byte (i32.const 102)) (br $esc)))
            (if (i32.eq (local.get $c) (i32.const 10)) (then (call $sb_byte (i32.const 110)) (br $esc)))
            (if (i32.eq (local.get $c) (i32.const 13)) (then (call $sb_byte (i32.const 114)) (br $esc)))
            (if (i32.eq (local.get $c) (i32.const 9)) (then (call $sb_byte (i32.const 116)) (br $esc)))
            (call $sb_byte (i32.const 117))
            (call $sb_byte (i32.const 48))
            (call $sb_byte (i32.const 48))
            (call $sb_byte (i32.load8_u offset=%HEX_DIGITS% (i32.shr_u (local.get $c) (i32.const 4))))
            (call $sb_byte (i32.load8_u offset=%HEX_DIGITS% (i32.and (local.get $c) (i32.const 15)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (call $sb_bytes (local.get $run) (i32.sub (local.get $p) (local.get $run)))
  (call $sb_byte (i32.const 34)))

;; Newline and indentation for pretty output at `level` (from a static run of
;; spaces after a newline).
(func $w_nl (param $level i32)
  (if (i32.le_u (local.get $level) (i32.const 30))
    (then (call $sb_bytes (i32.const %NEWLINE_SPACES%) (i32.add (i32.const 1) (i32.shl (local.get $level) (i32.const 1)))) (return)))
  (call $sb_byte (i32.const 10))
  (block $done
    (loop $l
      (br_if $done (i32.le_s (local.get $level) (i32.const 0)))
      (call $sb_byte (i32.const 32))
      (call $sb_byte (i32.const 32))
      (local.set $level (i32.sub (local.get $level) (i32.const 1)))
      (br $l))))

;; Between members of an array or object: `,` unless first, then the line break.
(func $w_sep (param $i i32) (param $level i32)
  (if (local.get $i) (then (call $sb_byte (i32.const 44))))
  (if (i32.ge_s (local.get $level) (i32.const 0)) (then (call $w_nl (local.get $level)))))

;; `"key": ` (or `"key":` compact).
(func $w_key (param $h i32) (param $level i32)
  (call $w_json_str (local.get $h))
  (call $sb_byte (i32.const 58))
  (if (i32.ge_s (local.get $level) (i32.const 0)) (then (call $sb_byte (i32.const 32)))))

;; Close a container that had `n` members.
(func $w_close (param $n i32) (param $level i32) (param $c i32)
  (if (i32.and (i32.ne (local.get $n) (i32.const 0)) (i32.ge_s (local.get $level) (i32.const 0)))
    (then (call $w_nl (local.get $level))))
  (call $sb_byte (local.get $c)))

(func $inner (param $level i32) (result i32)
  (select (i32.add (local.get $level) (i32.const 1)) (i32.const -1) (i32.ge_s (local.get $level) (i32.const 0))))

;; A DOM node, pretty at `level` or compact when `level` is -1.
(func $w_node (param $n i32) (param $level i32)
  (local $k i32) (local $i i32) (local $c i32)
  (local.set $k (call $kind (local.get $n)))
  (if (i32.eq (local.get $k) (i32.const %K_NULL%)) (then (call $sb_str (i32.const %S_NULL%)) (return)))
  (if (i32.eq (local.get $k) (i32.const %K_FALSE%)) (then (call $sb_str (i32.const %S_FALSE%)) (return)))
  (if (i32.eq (local.get $k) (i32.const %K_TRUE%)) (then (call $sb_str (i32.const %S_TRUE%)) (return)))
  (if (i32.eq (local.get $k) (i32.const %K_NUM%)) (then (call $sb_str (i32.add (local.get $n) (i32.const 4))) (return)))
  (if (i32.eq (local.get $k) (i32.const %K_STR%)) (then (call $w_json_str (i32.add (local.get $n) (i32.const 4))) (return)))
  (local.set $c (call $arr_count (local.get $n)))
  (if (i32.eq (local.get $k) (i32.const %K_ARR%))
    (then
      (call $sb_byte (i32.const 91))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $c)))
          (call $w_sep (local.get $i) (call $inner (local.get $level)))
          (call $w_node (call $arr_item (local.get $n) (local.get $i)) (call $inner (local.get $level)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (call $w_close (local.get $c) (local.get $level) (i32.const 93))
      (return)))
  (call $sb_byte (i32.const 123))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $c)))
      (call $w_sep (local.get $i) (call $inner (local.get $level)))
      (call $w_key (call $obj_key (local.get $n) (local.get $i)) (local.get $level))
      (call $w_node (call $obj_val (local.get $n) (local.get $i)) (call $inner (local.get $level)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (call $w_close (local.get $c) (local.get $level) (i32.const 125)))
