;; Built-in functions (`eval::builtins`) and rendering (`eval::render`). Built-ins
;; take normalised arguments; null in gives null out, unknown in gives unknown out.

(func $any_unknown3 (param $a i64) (param $b i64) (param $c i64) (result i32)
  (i32.or (i32.or (i32.eq (call $tag (local.get $a)) (i32.const %TAG_UNKNOWN%))
                  (i32.eq (call $tag (local.get $b)) (i32.const %TAG_UNKNOWN%)))
          (i32.eq (call $tag (local.get $c)) (i32.const %TAG_UNKNOWN%))))

(func $b_lower (param $a i64) (result i64)
  (local $s i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (if (result i64) (local.get $s) (then (call $mk_str (call $str_lower (local.get $s)))) (else (i64.const %V_NULL%))))

(func $b_upper (param $a i64) (result i64)
  (local $s i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (if (result i64) (local.get $s) (then (call $mk_str (call $str_upper (local.get $s)))) (else (i64.const %V_NULL%))))

(func $b_trim (param $a i64) (result i64)
  (local $s i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (if (result i64) (local.get $s) (then (call $mk_str (call $str_trim (local.get $s)))) (else (i64.const %V_NULL%))))

(func $b_split (param $a i64) (param $b i64) (result i64)
  (local $s i32) (local $t i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (local.set $t (call $as_str (local.get $b)))
  (if (i32.or (i32.eqz (local.get $s)) (i32.eqz (local.get $t))) (then (return (i64.const %V_NULL%))))
  (call $mk (i32.const %TAG_LIST%) (call $str_split (local.get $s) (local.get $t))))

(func $b_regex_split (param $re i32) (param $a i64) (param $b i64) (result i64)
  (local $s i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (if (i32.eqz (local.get $s)) (then (return (i64.const %V_NULL%))))
  (call $mk (i32.const %TAG_LIST%) (call $re_split (local.get $re) (local.get $s))))

(func $b_replace (param $a i64) (param $b i64) (param $c i64) (result i64)
  (local $s i32) (local $f i32) (local $t i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (local.get $c)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (local.set $f (call $as_str (local.get $b)))
  (local.set $t (call $as_str (local.get $c)))
  (if (i32.or (i32.or (i32.eqz (local.get $s)) (i32.eqz (local.get $f))) (i32.eqz (local.get $t)))
    (then (return (i64.const %V_NULL%))))
  (if (i32.eqz (i32.load (local.get $f))) (then (return (call $mk_str (local.get $s)))))
  (call $mk_str (call $str_replace (local.get $s) (local.get $f) (local.get $t))))

;; starts_with (0), ends_with (1), contains (2), glob (3).
(func $b_pred (param $which i32) (param $a i64) (param $b i64) (result i64)
  (local $s i32) (local $p i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (local.set $p (call $as_str (local.get $b)))
  (if (i32.or (i32.eqz (local.get $s)) (i32.eqz (local.get $p))) (then (return (i64.const %V_NULL%))))
  (if (i32.eqz (local.get $which)) (then (return (call $mk_bool (call $starts_with (local.get $s) (local.get $p))))))
  (if (i32.eq (local.get $which) (i32.const 1)) (then (return (call $mk_bool (call $ends_with (local.get $s) (local.get $p))))))
  (if (i32.eq (local.get $which) (i32.const 2))
    (then (return (call $mk_bool (i32.ge_s (call $str_find (local.get $s) (local.get $p) (i32.const 0)) (i32.const 0))))))
  (call $mk_bool (call $glob (local.get $s) (local.get $p))))

(func $b_regex (param $re i32) (param $a i64) (param $b i64) (result i64)
  (local $s i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (if (i32.eqz (local.get $s)) (then (return (i64.const %V_NULL%))))
  (call $mk_bool (call $re_is_match (local.get $re) (local.get $s))))

(func $b_count (param $a i64) (result i64)
  (local $s i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (if (i32.eq (call $tag (local.get $a)) (i32.const %TAG_NULL%)) (then (return (call $mk_int (i64.const 0)))))
  (if (call $is_collection (local.get $a)) (then (return (call $mk_int (i64.extend_i32_u (call $len (local.get $a)))))))
  (local.set $s (call $as_str (local.get $a)))
  (if (result i64) (local.get $s)
    (then (call $mk_int (i64.extend_i32_u (call $char_count (local.get $s)))))
    (else (i64.const %V_NULL%))))

(func $b_date (param $a i64) (result i64)
  (local $s i32) (local $ok i32) (local $d i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $s (call $as_str (local.get $a)))
  (if (i32.eqz (local.get $s)) (then (return (i64.const %V_NULL%))))
  (call $date_parse (local.get $s))
  (local.set $d) (local.set $ok)
  (if (result i64) (local.get $ok) (then (call $mk (i32.const %TAG_DATE%) (local.get $d))) (else (i64.const %V_NULL%))))

(func $b_string (param $a i64) (result i64)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (if (i32.eq (call $tag (local.get $a)) (i32.const %TAG_NULL%)) (then (return (i64.const %V_NULL%))))
  (call $mk_str (call $display_str (local.get $a))))

(func $b_int (param $a i64) (result i64)
  (local $s i32) (local $ok i32) (local $v i64)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (if (i32.eq (call $tag (local.get $a)) (i32.const %TAG_INT%)) (then (return (local.get $a))))
  (local.set $s (call $as_str (local.get $a)))
  (if (i32.eqz (local.get $s)) (then (return (i64.const %V_NULL%))))
  (call $parse_i64 (local.get $s))
  (local.set $v) (local.set $ok)
  (if (result i64) (local.get $ok) (then (call $mk_int (local.get $v))) (else (i64.const %V_NULL%))))

;; keys (0) and values (1) of a tag map or json object.
(func $b_keys_values (param $values i32) (param $a i64) (result i64)
  (local $n i32) (local $i i32) (local $l i32) (local $p i32) (local $node i32) (local $h i32) (local $u i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (if (i32.eq (call $tag (local.get $a)) (i32.const %TAG_TAGS%))
    (then
      (local.set $p (call $pl (local.get $a)))
      (local.set $n (i32.load (local.get $p)))
      (local.set $l (call $list_new (local.get $n)))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (local.get $values)
            (then
              (local.set $h (i32.load offset=8 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))))
              (call $list_set (local.get $l) (local.get $i) (call $known_str (local.get $h))))
            (else
              (call $list_set (local.get $l) (local.get $i)
                (call $mk_str (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))
      (if (local.get $values) (then (return (call $mk (i32.const %TAG_LIST%) (local.get $l)))))
      (return (call $make_set (local.get $l)))))
  (if (call $json_kind (local.get $a) (i32.const %K_OBJ%))
    (then
      (local.set $node (call $jnode (local.get $a)))
      (local.set $u (call $jtree (local.get $a)))
      (local.set $n (call $arr_count (local.get $node)))
      (local.set $l (call $list_new (local.get $n)))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (local.get $values)
            (then
              (call $list_set (local.get $l) (local.get $i)
                (call $normalize (call $mk_json (call $obj_val (local.get $node) (local.get $i))
                  (call $node_get (local.get $u) (call $obj_key (local.get $node) (local.get $i)))))))
            (else
              (call $list_set (local.get $l) (local.get $i) (call $mk_str (call $obj_key (local.get $node) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))
      (if (local.get $values) (then (return (call $mk (i32.const %TAG_LIST%) (local.get $l)))))
      (return (call $make_set (local.get $l)))))
  (i64.const %V_NULL%))

(func $b_flatten (param $a i64) (result i64)
  (local $n i32) (local $i i32) (local $j i32) (local $m i32) (local $total i32) (local $inner i64) (local $l i32) (local $k i32)
  (if (call $any_unknown3 (local.get $a) (i64.const 0) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $n (call $len (local.get $a)))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $inner (call $nth (local.get $a) (local.get $i)))
      (if (call $is_unknown (local.get $inner)) (then (return (i64.const %V_UNKNOWN%))))
      (local.set $total (i32.add (local.get $total) (call $len (local.get $inner))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (local.set $l (call $list_new (local.get $total)))
  (local.set $i (i32.const 0))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $inner (call $nth (local.get $a) (local.get $i)))
      (local.set $m (call $len (local.get $inner)))
      (local.set $j (i32.const 0))
      (block $d2
        (loop $y
          (br_if $d2 (i32.ge_u (local.get $j) (local.get $m)))
          (call $list_set (local.get $l) (local.get $k) (call $nth (local.get $inner) (local.get $j)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $y)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (call $set_or_list (local.get $l)))

;; `tag(r, key)`: the first tag whose key matches case- and separator-insensitively.
(func $b_tag (param $a i64) (param $b i64) (result i64)
  (local $key i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $key (call $as_str (local.get $b)))
  (if (i32.eqz (local.get $key)) (then (return (i64.const %V_NULL%))))
  (call $b_tag_canonical (local.get $a) (call $canonical_key (local.get $key))))

;; `tag` with the key already in canonical form (done at compile time for constants).
;; Tag maps carry their keys' canonical forms (computed when the model is read).
(func $b_tag_canonical (param $a i64) (param $want i32) (result i64)
  (local $map i32) (local $n i32) (local $i i32) (local $canon i32)
  (if (i32.eq (call $tag (local.get $a)) (i32.const %TAG_UNKNOWN%)) (then (return (i64.const %V_UNKNOWN%))))
  (if (i32.ne (call $tag (local.get $a)) (i32.const %TAG_RES%)) (then (return (i64.const %V_NULL%))))
  (local.set $map (i32.load offset=36 (call $pl (local.get $a))))
  (if (i32.eqz (local.get $map)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $n (i32.load (local.get $map)))
  (local.set $canon (i32.add (i32.add (local.get $map) (i32.const 4)) (i32.shl (local.get $n) (i32.const 3))))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (call $str_eq (i32.load (i32.add (local.get $canon) (i32.shl (local.get $i) (i32.const 2)))) (local.get $want))
        (then (return (call $known_str (i32.load offset=8 (i32.add (local.get $map) (i32.shl (local.get $i) (i32.const 3))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (i64.const %V_NULL%))

(func $b_join (param $a i64) (param $b i64) (result i64)
  (local $sep i32) (local $n i32) (local $i i32) (local $m i32) (local $v i64) (local $heap0 i32)
  (if (call $any_unknown3 (local.get $a) (local.get $b) (i64.const 0)) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $sep (call $as_str (local.get $b)))
  (if (i32.eqz (local.get $sep)) (then (return (i64.const %V_NULL%))))
  (local.set $n (call $len (local.get $a)))
  (local.set $m (call $sb_begin))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $v (call $nth (local.get $a) (local.get $i)))
      (if (call $is_unknown (local.get $v))
        (then (global.set $sb_len (local.get $m)) (return (i64.const %V_UNKNOWN%))))
      (if (local.get $i) (then (call $sb_str (local.get $sep))))
      (call $display (local.get $v))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (call $mk_str (call $sb_end (local.get $m))))

;; `known(x)`: known all the way down.
(func $deep_known (param $v i64) (result i32)
  (local $t i32) (local $p i32) (local $n i32) (local $i i32)
  (local.set $t (call $tag (local.get $v)))
  (local.set $p (call $pl (local.get $v)))
  (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (return (i32.const 0))))
  (if (i32.eq (local.get $t) (i32.const %TAG_LOC%))
    (then (return (i32.and (i32.ne (i32.load (local.get $p)) (i32.const 2)) (i32.ne (i32.load offset=8 (local.get $p)) (i32.const 0))))))
  (if (i32.eq (local.get $t) (i32.const %TAG_CUST%))
    (then (return (i32.and (i32.ne (i32.load (local.get $p)) (i32.const 0)) (i32.ne (i32.load offset=4 (local.get $p)) (i32.const 0))))))
  (if (i32.eq (local.get $t) (i32.const %TAG_PROV%))
    (then (return (i32.and (i32.ne (i32.load offset=12 (local.get $p)) (i32.const 0)) (i32.ne (i32.load offset=16 (local.get $p)) (i32.const 0))))))
  (if (i32.eq (local.get $t) (i32.const %TAG_FLOW%))
    (then (return (i32.and (call $deep_known (call $mk (i32.const %TAG_LOC%) (i32.load offset=24 (local.get $p))))
                           (call $deep_known (call $mk (i32.const %TAG_CUST%) (i32.load offset=28 (local.get $p))))))))
  (if (i32.eq (local.get $t) (i32.const %TAG_TAGS%))
    (then
      (local.set $n (i32.load (local.get $p)))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (i32.eqz (i32.load offset=8 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))) (then (return (i32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))
      (return (i32.const 1))))
  (if (i32.eq (local.get $t) (i32.const %TAG_JSONT%))
    (then (return (i32.eqz (call $contains_true (call $jtree (local.get $v)))))))
  (if (i32.or (i32.eq (local.get $t) (i32.const %TAG_LIST%)) (i32.eq (local.get $t) (i32.const %TAG_SET%)))
    (then
      (local.set $n (i32.load (local.get $p)))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (i32.eqz (call $deep_known (call $list_get (local.get $p) (local.get $i)))) (then (return (i32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))))
  (i32.const 1))

(func $contains_true (param $u i32) (result i32)
  (local $k i32) (local $n i32) (local $i i32)
  (local.set $k (call $kind (local.get $u)))
  (if (i32.eq (local.get $k) (i32.const %K_TRUE%)) (then (return (i32.const 1))))
  (if (i32.or (i32.eq (local.get $k) (i32.const %K_ARR%)) (i32.eq (local.get $k) (i32.const %K_OBJ%)))
    (then
      (local.set $n (call $arr_count (local.get $u)))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (call $contains_true (select (call $arr_item (local.get $u) (local.get $i)) (call $obj_val (local.get $u) (local.get $i))
                                           (i32.eq (local.get $k) (i32.const %K_ARR%))))
            (then (return (i32.const 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))))
  (i32.const 0))

(func $b_known (param $a i64) (result i64)
  (call $mk_bool (call $deep_known (local.get $a))))

;; ---------------------------------------------------------------- display

(func $display_str (param $v i64) (result i32)
  (local $m i32)
  (local.set $m (call $sb_begin))
  (call $display (local.get $v))
  (call $sb_end (local.get $m)))

(func $sb_known (param $h i32)
  (if (local.get $h) (then (call $sb_str (local.get $h))) (else (call $sb_str (i32.const %S_PAREN_UNKNOWN%)))))

;; Text for message interpolation (`render::display`), appended to the builder.
(func $display (param $v i64)
  (local $t i32) (local $p i32) (local $n i32) (local $i i32) (local $h i32)
  (local.set $v (call $normalize (local.get $v)))
  (local.set $t (call $tag (local.get $v)))
  (local.set $p (call $pl (local.get $v)))
  (block $done
    (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (call $sb_str (i32.const %S_PAREN_UNKNOWN%)) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_NULL%)) (then (call $sb_str (i32.const %S_PAREN_NONE%)) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_BOOL%))
      (then (call $sb_str (select (i32.const %S_TRUE%) (i32.const %S_FALSE%) (local.get $p))) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_INT%)) (then (call $sb_i64 (call $int_of (local.get $v))) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_DATE%)) (then (call $sb_date (local.get $p)) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_STR%)) (then (call $sb_str (local.get $p)) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_RES%)) (then (call $sb_str (i32.load (local.get $p))) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_PROV%)) (then (call $sb_str (i32.load (local.get $p))) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_LOC%)) (then (call $location_text (local.get $p)) (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_CUST%))
      (then
        (call $sb_known (i32.load (local.get $p)))
        (call $sb_str (i32.const %S_SPACE_PAREN%))
        (call $sb_known (i32.load offset=4 (local.get $p)))
        (call $sb_byte (i32.const 41))
        (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_COMP%))
      (then
        (call $sb_str (i32.load (local.get $p)))
        (call $sb_str (i32.const %S_SPACE_PAREN%))
        (call $sb_str (i32.load offset=4 (local.get $p)))
        (call $sb_byte (i32.const 41))
        (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_FLOW%)) (then (call $sb_str (i32.load offset=4 (local.get $p))) (br $done)))
    (if (call $is_json (local.get $v))
      (then
        (if (i32.eq (call $kind (call $jnode (local.get $v))) (i32.const %K_STR%))
          (then (call $sb_str (i32.add (call $jnode (local.get $v)) (i32.const 4))))
          (else (call $w_node (call $jnode (local.get $v)) (i32.const -1))))
        (br $done)))
    (if (i32.eq (local.get $t) (i32.const %TAG_TAGS%))
      (then
        (local.set $n (i32.load (local.get $p)))
        (block $d2
          (loop $x
            (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
            (if (local.get $i) (then (call $sb_str (i32.const %S_COMMA_SPACE%))))
            (call $sb_str (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))))
            (call $sb_byte (i32.const 61))
            (call $sb_known (i32.load offset=8 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $x)))
        (br $done)))
    (local.set $n (call $len (local.get $v)))
    (block $d2
      (loop $x
        (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
        (if (local.get $i) (then (call $sb_str (i32.const %S_COMMA_SPACE%))))
        (call $display (call $nth (local.get $v) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $x)))))

;; `render::location_text`.
(func $location_text (param $l i32)
  (local $c i32) (local $m i32) (local $countries i32) (local $n i32) (local $i i32) (local $state i32)
  (local.set $state (i32.load (local.get $l)))
  (if (i32.eq (local.get $state) (i32.const 2)) (then (call $sb_str (i32.const %S_PAREN_UNKNOWN%)) (return)))
  ;; The countries text, built first: whether it is empty decides the form.
  (local.set $m (call $sb_begin))
  (local.set $c (i32.load offset=8 (local.get $l)))
  (if (local.get $c)
    (then
      (local.set $n (i32.load (local.get $c)))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (local.get $i) (then (call $sb_str (i32.const %S_COMMA_SPACE%))))
          (call $sb_str (i32.load offset=4 (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x))))
    (else (call $sb_str (i32.const %S_PAREN_UNKNOWN%))))
  (local.set $countries (call $sb_end (local.get $m)))
  (if (i32.eqz (local.get $state))
    (then
      (if (i32.eqz (i32.load (local.get $countries)))
        (then (call $sb_str (i32.const %S_PAREN_GLOBAL%)))
        (else (call $sb_str (local.get $countries))))
      (return)))
  (call $sb_str (i32.load offset=4 (local.get $l)))
  (if (i32.load (local.get $countries))
    (then
      (call $sb_str (i32.const %S_SPACE_PAREN%))
      (call $sb_str (local.get $countries))
      (call $sb_byte (i32.const 41)))))

;; ---------------------------------------------------------------- evidence JSON

(func $w_unknown (param $level i32)
  (call $sb_byte (i32.const 123))
  (call $w_nl (i32.add (local.get $level) (i32.const 1)))
  (call $w_key (i32.const %S_UNKNOWN_KEY%) (local.get $level))
  (call $sb_str (i32.const %S_TRUE%))
  (call $w_nl (local.get $level))
  (call $sb_byte (i32.const 125)))

(func $w_known (param $h i32) (param $level i32)
  (if (local.get $h) (then (call $w_json_str (local.get $h))) (else (call $w_unknown (local.get $level)))))

;; Open an object member: separator, indentation, key.
(func $w_member (param $i i32) (param $key i32) (param $level i32)
  (call $w_sep (local.get $i) (i32.add (local.get $level) (i32.const 1)))
  (call $w_key (local.get $key) (local.get $level)))

(func $w_location (param $l i32) (param $level i32)
  (local $c i32) (local $n i32) (local $i i32) (local $state i32) (local $inner i32)
  (local.set $inner (i32.add (local.get $level) (i32.const 1)))
  (call $sb_byte (i32.const 123))
  (call $w_member (i32.const 0) (i32.const %S_F_REGION%) (local.get $level))
  (local.set $state (i32.load (local.get $l)))
  (if (i32.eq (local.get $state) (i32.const 2)) (then (call $w_unknown (local.get $inner))))
  (if (i32.eqz (local.get $state)) (then (call $sb_str (i32.const %S_NULL%))))
  (if (i32.eq (local.get $state) (i32.const 1)) (then (call $w_json_str (i32.load offset=4 (local.get $l)))))
  (call $w_member (i32.const 1) (i32.const %S_F_COUNTRIES%) (local.get $level))
  (local.set $c (i32.load offset=8 (local.get $l)))
  (if (local.get $c)
    (then
      (local.set $n (i32.load (local.get $c)))
      (call $sb_byte (i32.const 91))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (call $w_sep (local.get $i) (i32.add (local.get $inner) (i32.const 1)))
          (call $w_json_str (i32.load offset=4 (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))
      (call $w_close (local.get $n) (local.get $inner) (i32.const 93)))
    (else (call $w_unknown (local.get $inner))))
  (call $w_close (i32.const 2) (local.get $level) (i32.const 125)))

(func $w_custody (param $c i32) (param $level i32)
  (call $sb_byte (i32.const 123))
  (call $w_member (i32.const 0) (i32.const %S_F_COMPANY%) (local.get $level))
  (call $w_known (i32.load (local.get $c)) (i32.add (local.get $level) (i32.const 1)))
  (call $w_member (i32.const 1) (i32.const %S_F_JURISDICTION%) (local.get $level))
  (call $w_known (i32.load offset=4 (local.get $c)) (i32.add (local.get $level) (i32.const 1)))
  (call $w_close (i32.const 2) (local.get $level) (i32.const 125)))

;; Evidence JSON of a value (`render::to_json`), pretty at `level`.
(func $w_value (param $v i64) (param $level i32)
  (local $t i32) (local $p i32) (local $n i32) (local $i i32) (local $inner i32)
  (local.set $v (call $normalize (local.get $v)))
  (local.set $t (call $tag (local.get $v)))
  (local.set $p (call $pl (local.get $v)))
  (local.set $inner (i32.add (local.get $level) (i32.const 1)))
  (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (call $w_unknown (local.get $level)) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_NULL%)) (then (call $sb_str (i32.const %S_NULL%)) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_BOOL%))
    (then (call $sb_str (select (i32.const %S_TRUE%) (i32.const %S_FALSE%) (local.get $p))) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_INT%)) (then (call $sb_i64 (call $int_of (local.get $v))) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_DATE%))
    (then (call $sb_byte (i32.const 34)) (call $sb_date (local.get $p)) (call $sb_byte (i32.const 34)) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_STR%)) (then (call $w_json_str (local.get $p)) (return)))
  (if (i32.or (i32.eq (local.get $t) (i32.const %TAG_RES%)) (i32.eq (local.get $t) (i32.const %TAG_PROV%)))
    (then (call $w_json_str (i32.load (local.get $p))) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_LOC%)) (then (call $w_location (local.get $p) (local.get $level)) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_CUST%)) (then (call $w_custody (local.get $p) (local.get $level)) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_COMP%))
    (then
      (call $sb_byte (i32.const 123))
      (call $w_member (i32.const 0) (i32.const %S_F_NAME%) (local.get $level))
      (call $w_json_str (i32.load (local.get $p)))
      (call $w_member (i32.const 1) (i32.const %S_F_JURISDICTION%) (local.get $level))
      (call $w_json_str (i32.load offset=4 (local.get $p)))
      (call $w_close (i32.const 2) (local.get $level) (i32.const 125))
      (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_FLOW%))
    (then
      (call $sb_byte (i32.const 123))
      (call $w_member (i32.const 0) (i32.const %S_F_KIND%) (local.get $level))
      (call $w_json_str (i32.load (local.get $p)))
      (call $w_member (i32.const 1) (i32.const %S_F_TARGET%) (local.get $level))
      (call $w_json_str (i32.load offset=4 (local.get $p)))
      (call $w_member (i32.const 1) (i32.const %S_F_LOCATION%) (local.get $level))
      (call $w_location (i32.load offset=24 (local.get $p)) (local.get $inner))
      (call $w_member (i32.const 1) (i32.const %S_F_CUSTODY%) (local.get $level))
      (call $w_custody (i32.load offset=28 (local.get $p)) (local.get $inner))
      (call $w_close (i32.const 4) (local.get $level) (i32.const 125))
      (return)))
  (if (call $is_json (local.get $v)) (then (call $w_node (call $jnode (local.get $v)) (local.get $level)) (return)))
  (if (i32.eq (local.get $t) (i32.const %TAG_TAGS%))
    (then
      (local.set $n (i32.load (local.get $p)))
      (call $sb_byte (i32.const 123))
      (block $done
        (loop $x
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (call $w_member (local.get $i) (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))) (local.get $level))
          (call $w_known (i32.load offset=8 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))) (local.get $inner))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $x)))
      (call $w_close (local.get $n) (local.get $level) (i32.const 125))
      (return)))
  (local.set $n (call $len (local.get $v)))
  (call $sb_byte (i32.const 91))
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $w_sep (local.get $i) (local.get $inner))
      (call $w_value (call $nth (local.get $v) (local.get $i)) (local.get $inner))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (call $w_close (local.get $n) (local.get $level) (i32.const 93)))
