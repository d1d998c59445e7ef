;; Operators, mirroring `eval::ops`: all three-valued (0 false, 1 true, 2 unknown).

(func $equal (param $a i64) (param $b i64) (result i32)
  (local $ta i32) (local $tb i32) (local $sa i32) (local $sb i32) (local $n i32) (local $i i32) (local $r i32) (local $e i32)
  (if (i32.or (call $is_unknown (local.get $a)) (call $is_unknown (local.get $b))) (then (return (i32.const 2))))
  (local.set $a (call $normalize (local.get $a)))
  (local.set $b (call $normalize (local.get $b)))
  (local.set $ta (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
  (local.set $tb (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 32))))
  (if (i32.or (i32.eq (local.get $ta) (i32.const %TAG_UNKNOWN%)) (i32.eq (local.get $tb) (i32.const %TAG_UNKNOWN%)))
    (then (return (i32.const 2))))
  (if (i32.or (i32.eq (local.get $ta) (i32.const %TAG_NULL%)) (i32.eq (local.get $tb) (i32.const %TAG_NULL%)))
    (then (return (i32.eq (local.get $ta) (local.get $tb)))))
  (if (i32.eq (local.get $ta) (local.get $tb))
    (then
      (if (i32.or (i32.eq (local.get $ta) (i32.const %TAG_BOOL%)) (i32.eq (local.get $ta) (i32.const %TAG_DATE%)))
        (then (return (i32.eq (i32.wrap_i64 (local.get $a)) (i32.wrap_i64 (local.get $b))))))
      (if (i32.eq (local.get $ta) (i32.const %TAG_INT%))
        (then (return (i64.eq (call $int_of (local.get $a)) (call $int_of (local.get $b))))))))
  (if (i32.and (call $is_json (local.get $a)) (call $is_json (local.get $b)))
    (then (return (call $node_eq (call $jnode (local.get $a)) (call $jnode (local.get $b))))))
  (local.set $sa (call $as_str (local.get $a)))
  (local.set $sb (call $as_str (local.get $b)))
  (if (i32.and (i32.ne (local.get $sa) (i32.const 0)) (i32.ne (local.get $sb) (i32.const 0)))
    (then (return (call $str_eq (local.get $sa) (local.get $sb)))))
  (if (i32.and (call $is_collection (local.get $a)) (call $is_collection (local.get $b)))
    (then
      (local.set $n (call $len (local.get $a)))
      (if (i32.ne (local.get $n) (call $len (local.get $b))) (then (return (i32.const 0))))
      (local.set $r (i32.const 1))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $e (call $equal (call $nth (local.get $a) (local.get $i)) (call $nth (local.get $b) (local.get $i))))
          (if (i32.eqz (local.get $e)) (then (return (i32.const 0))))
          (if (i32.eq (local.get $e) (i32.const 2)) (then (local.set $r (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (return (local.get $r))))
  (if (i32.and (i32.eq (local.get $ta) (i32.const %TAG_RES%)) (i32.eq (local.get $tb) (i32.const %TAG_RES%)))
    (then (return (call $str_eq (i32.load (i32.wrap_i64 (local.get $a))) (i32.load (i32.wrap_i64 (local.get $b)))))))
  (if (i32.and (i32.eq (local.get $ta) (i32.const %TAG_FLOW%)) (i32.eq (local.get $tb) (i32.const %TAG_FLOW%)))
    (then (return (i32.eq (i32.wrap_i64 (local.get $a)) (i32.wrap_i64 (local.get $b))))))
  ;; Same kind and the same order position (records compare by their text).
  (i32.and (i32.eqz (call $compare (local.get $a) (local.get $b)))
           (i32.eq (call $discriminant (local.get $ta)) (call $discriminant (local.get $tb)))))

;; `std::mem::discriminant` of `eval::Value`: json with or without a tree is one variant.
(func $discriminant (param $t i32) (result i32)
  (select (i32.const %TAG_JSON%) (local.get $t) (i32.eq (local.get $t) (i32.const %TAG_JSONT%))))

;; `<`, `<=`, `>`, `>=`, `==`, `!=` (ops 0..5: Eq, Ne, Lt, Le, Gt, Ge).
(func $compare_op (param $op i32) (param $a i64) (param $b i64) (result i32)
  (local $o i32) (local $sa i32) (local $sb i32) (local $ta i32) (local $tb i32) (local $e i32)
  (if (i32.eqz (local.get $op)) (then (return (call $equal (local.get $a) (local.get $b)))))
  (if (i32.eq (local.get $op) (i32.const 1))
    (then
      (local.set $e (call $equal (local.get $a) (local.get $b)))
      (return (select (i32.const 2) (i32.eqz (local.get $e)) (i32.eq (local.get $e) (i32.const 2))))))
  (if (i32.or (call $is_unknown (local.get $a)) (call $is_unknown (local.get $b))) (then (return (i32.const 2))))
  (local.set $a (call $normalize (local.get $a)))
  (local.set $b (call $normalize (local.get $b)))
  (local.set $ta (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
  (local.set $tb (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 32))))
  (block $ordered
    (if (i32.and (i32.eq (local.get $ta) (i32.const %TAG_INT%)) (i32.eq (local.get $tb) (i32.const %TAG_INT%)))
      (then (local.set $o (call $cmp_i64 (call $int_of (local.get $a)) (call $int_of (local.get $b)))) (br $ordered)))
    (if (i32.and (i32.eq (local.get $ta) (i32.const %TAG_DATE%)) (i32.eq (local.get $tb) (i32.const %TAG_DATE%)))
      (then (local.set $o (call $cmp_i64 (i64.extend_i32_s (i32.wrap_i64 (local.get $a))) (i64.extend_i32_s (i32.wrap_i64 (local.get $b))))) (br $ordered)))
    (local.set $sa (call $as_str (local.get $a)))
    (local.set $sb (call $as_str (local.get $b)))
    (if (i32.or (i32.eqz (local.get $sa)) (i32.eqz (local.get $sb))) (then (return (i32.const 0))))
    (local.set $o (call $str_cmp (local.get $sa) (local.get $sb))))
  (if (i32.eq (local.get $op) (i32.const 2)) (then (return (i32.lt_s (local.get $o) (i32.const 0)))))
  (if (i32.eq (local.get $op) (i32.const 3)) (then (return (i32.le_s (local.get $o) (i32.const 0)))))
  (if (i32.eq (local.get $op) (i32.const 4)) (then (return (i32.gt_s (local.get $o) (i32.const 0)))))
  (i32.ge_s (local.get $o) (i32.const 0)))

;; `x in c`.
(func $member (param $x i64) (param $c i64) (result i32)
  (local $tc i32) (local $s i32) (local $n i32) (local $i i32) (local $r i32) (local $e i32) (local $p i32)
  (if (call $is_unknown (local.get $c)) (then (return (i32.const 2))))
  (if (i32.and (i32.eqz (call $len (local.get $c))) (i32.eqz (call $json_kind (local.get $c) (i32.const %K_STR%))))
    (then (return (i32.const 0))))
  (if (call $is_unknown (local.get $x)) (then (return (i32.const 2))))
  (local.set $tc (i32.wrap_i64 (i64.shr_u (local.get $c) (i64.const 32))))
  (local.set $p (i32.wrap_i64 (local.get $c)))
  (if (i32.eq (local.get $tc) (i32.const %TAG_TAGS%))
    (then
      (local.set $s (call $as_str (local.get $x)))
      (if (i32.eqz (local.get $s)) (then (return (i32.const 0))))
      (return (i32.ge_s (call $tag_index (local.get $p) (local.get $s)) (i32.const 0)))))
  (if (call $json_kind (local.get $c) (i32.const %K_OBJ%))
    (then
      (local.set $s (call $as_str (local.get $x)))
      (if (i32.eqz (local.get $s)) (then (return (i32.const 0))))
      (return (i32.ge_s (call $obj_find (call $jnode (local.get $c)) (local.get $s)) (i32.const 0)))))
;; Model string lists and sets are scanned, never binary-searched: an inventory
  ;; document may list countries in any order, and a missed member would be a silent pass.
  (if (i32.or (i32.eq (local.get $tc) (i32.const %TAG_STRSET%)) (i32.eq (local.get $tc) (i32.const %TAG_STRLIST%)))
    (then
      (local.set $s (call $as_str (call $normalize (local.get $x))))
      (if (i32.eqz (local.get $s)) (then (return (i32.const 0))))
      (local.set $n (i32.load (local.get $p)))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (call $str_eq (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))) (local.get $s))
            (then (return (i32.const 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (return (i32.const 0))))
  (local.set $n (call $len (local.get $c)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (call $equal (local.get $x) (call $nth (local.get $c) (local.get $i))))
      (if (i32.eq (local.get $e) (i32.const 1)) (then (return (i32.const 1))))
      (if (i32.eq (local.get $e) (i32.const 2)) (then (local.set $r (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $r))

;; FNV-1a over a string's bytes (`layout::fnv1a`).
(func $fnv1a (param $h i32) (result i32)
  (local $p i32) (local $end i32) (local $x i32)
  (local.set $x (i32.const 0x811c9dc5))
  (local.set $p (i32.load offset=4 (local.get $h)))
  (local.set $end (i32.add (local.get $p) (i32.load (local.get $h))))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (i32.mul (i32.xor (local.get $x) (i32.load8_u (local.get $p))) (i32.const 0x01000193)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
  (local.get $x))

;; `x in S` for an interned constant set {members, mask, hash table of string
;; headers, then the other members as a value list}: a hash lookup, not a scan.
(func $member_const (param $x i64) (param $set i32) (result i32)
  (local $s i32) (local $mask i32) (local $i i32) (local $e i32) (local $others i32)
  (local $n i32) (local $r i32)
  (if (i32.eqz (i32.load (local.get $set))) (then (return (i32.const 0))))
  (if (call $is_unknown (local.get $x)) (then (return (i32.const 2))))
  (local.set $x (call $normalize (local.get $x)))
  (local.set $s (call $as_str (local.get $x)))
  (local.set $mask (i32.load offset=4 (local.get $set)))
  (if (local.get $s)
    (then
      (local.set $i (i32.and (call $fnv1a (local.get $s)) (local.get $mask)))
      (loop $probe
        (local.set $e (i32.load offset=8 (i32.add (local.get $set) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.eqz (local.get $e)) (then (return (i32.const 0))))
        (if (i32.eq (i32.load (local.get $e)) (i32.load (local.get $s)))
          (then (if (call $str_eq (local.get $e) (local.get $s)) (then (return (i32.const 1))))))
        (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (local.get $mask)))
        (br $probe))
      (unreachable)))
  ;; Members that are not strings, compared one by one as the evaluator does.
  (local.set $others (i32.and (i32.add (i32.add (local.get $set) (i32.const 8))
    (i32.add (i32.shl (i32.add (local.get $mask) (i32.const 1)) (i32.const 2)) (i32.const 7))) (i32.const -8)))
  (local.set $n (i32.load (local.get $others)))
  (local.set $i (i32.const 0))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (call $equal (local.get $x) (call $list_get (local.get $others) (local.get $i))))
      (if (i32.eq (local.get $e) (i32.const 1)) (then (return (i32.const 1))))
      (if (i32.eq (local.get $e) (i32.const 2)) (then (local.set $r (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $r))

;; `a subset b`.
(func $subset (param $a i64) (param $b i64) (result i32)
  (local $n i32) (local $i i32) (local $r i32) (local $e i32)
  (if (call $is_unknown (local.get $a)) (then (return (i32.const 2))))
  (local.set $r (i32.const 1))
  (local.set $n (call $len (local.get $a)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (call $member (call $nth (local.get $a) (local.get $i)) (local.get $b)))
      (if (i32.eqz (local.get $e)) (then (return (i32.const 0))))
      (if (i32.eq (local.get $e) (i32.const 2)) (then (local.set $r (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (local.get $r))

;; `union` (0), `intersect` (1), `minus` (2).
(func $set_op (param $op i32) (param $a i64) (param $b i64) (result i64)
  (local $ua i32) (local $ub i32) (local $na i32) (local $nb i32) (local $l i32) (local $i i32) (local $k i32)
  (local $x i64) (local $m i32) (local $keep i32)
  (local.set $ua (call $is_unknown (local.get $a)))
  (local.set $ub (call $is_unknown (local.get $b)))
  (if (i32.or (local.get $ua) (local.get $ub))
    (then
      (if (i32.and (i32.eq (local.get $op) (i32.const 1))
                   (i32.or (i32.and (i32.eqz (local.get $ua)) (i32.eqz (call $len (local.get $a))))
                           (i32.and (i32.eqz (local.get $ub)) (i32.eqz (call $len (local.get $b))))))
        (then (return (call $make_set (call $list_new (i32.const 0))))))
      (if (i32.and (i32.eq (local.get $op) (i32.const 2))
                   (i32.and (i32.eqz (local.get $ua)) (i32.eqz (call $len (local.get $a)))))
        (then (return (call $make_set (call $list_new (i32.const 0))))))
      (return (i64.const %V_UNKNOWN%))))
  (local.set $na (call $len (local.get $a)))
  (local.set $nb (call $len (local.get $b)))
  (if (i32.eqz (local.get $op))
    (then
      (local.set $l (call $list_new (i32.add (local.get $na) (local.get $nb))))
      (block $done
        (loop $c
          (br_if $done (i32.ge_u (local.get $i) (local.get $na)))
          (call $list_set (local.get $l) (local.get $i) (call $nth (local.get $a) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $c)))
      (local.set $i (i32.const 0))
      (block $done
        (loop $c
          (br_if $done (i32.ge_u (local.get $i) (local.get $nb)))
          (call $list_set (local.get $l) (i32.add (local.get $na) (local.get $i)) (call $nth (local.get $b) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $c)))
      (return (call $set_or_list (local.get $l)))))
  (local.set $keep (i32.eq (local.get $op) (i32.const 1)))
  (local.set $l (call $list_new (local.get $na)))
  (block $done
    (loop $c
      (br_if $done (i32.ge_u (local.get $i) (local.get $na)))
      (local.set $x (call $nth (local.get $a) (local.get $i)))
      (local.set $m (call $member (local.get $x) (local.get $b)))
      (if (i32.eq (local.get $m) (i32.const 2)) (then (return (i64.const %V_UNKNOWN%))))
      (if (i32.eq (local.get $m) (local.get $keep))
        (then
          (call $list_set (local.get $l) (local.get $k) (local.get $x))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $c)))
  (i32.store (local.get $l) (local.get $k))
  (call $set_or_list (local.get $l)))

;; `+` (0) and `-` (1) on ints, dates and strings.
(func $arith (param $op i32) (param $a i64) (param $b i64) (result i64)
  (local $ta i32) (local $tb i32) (local $n i64) (local $d i64) (local $sa i32) (local $sb i32) (local $m i32)
  (if (i32.or (call $is_unknown (local.get $a)) (call $is_unknown (local.get $b))) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $a (call $normalize (local.get $a)))
  (local.set $b (call $normalize (local.get $b)))
  (local.set $ta (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
  (local.set $tb (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 32))))
  (if (i32.and (i32.eq (local.get $ta) (i32.const %TAG_INT%)) (i32.eq (local.get $tb) (i32.const %TAG_INT%)))
    (then (return (call $mk_int (select
      (i64.sub (call $int_of (local.get $a)) (call $int_of (local.get $b)))
      (i64.add (call $int_of (local.get $a)) (call $int_of (local.get $b)))
      (local.get $op))))))
  (if (i32.and (i32.eq (local.get $ta) (i32.const %TAG_DATE%)) (i32.eq (local.get $tb) (i32.const %TAG_INT%)))
    (then
      (local.set $n (call $int_of (local.get $b)))
      (if (i64.gt_s (local.get $n) (i64.const 1000000)) (then (local.set $n (i64.const 1000000))))
      (if (i64.lt_s (local.get $n) (i64.const -1000000)) (then (local.set $n (i64.const -1000000))))
      (if (local.get $op) (then (local.set $n (i64.sub (i64.const 0) (local.get $n)))))
      (local.set $d (i64.add (i64.extend_i32_s (i32.wrap_i64 (local.get $a))) (local.get $n)))
      (if (i64.gt_s (local.get $d) (i64.const 2147483647)) (then (local.set $d (i64.const 2147483647))))
      (if (i64.lt_s (local.get $d) (i64.const -2147483648)) (then (local.set $d (i64.const -2147483648))))
      (return (call $mk (i32.const %TAG_DATE%) (i32.wrap_i64 (local.get $d))))))
  (if (i32.and (i32.eq (local.get $op) (i32.const 1))
               (i32.and (i32.eq (local.get $ta) (i32.const %TAG_DATE%)) (i32.eq (local.get $tb) (i32.const %TAG_DATE%))))
    (then (return (call $mk_int (i64.sub (i64.extend_i32_s (i32.wrap_i64 (local.get $a))) (i64.extend_i32_s (i32.wrap_i64 (local.get $b))))))))
  (if (i32.eqz (local.get $op))
    (then
      (local.set $sa (call $as_str (local.get $a)))
      (local.set $sb (call $as_str (local.get $b)))
      (if (i32.and (i32.ne (local.get $sa) (i32.const 0)) (i32.ne (local.get $sb) (i32.const 0)))
        (then
          (local.set $m (call $sb_begin))
          (call $sb_str (local.get $sa))
          (call $sb_str (local.get $sb))
          (return (call $mk_str (call $sb_end (local.get $m))))))))
  (i64.const %V_NULL%))

(func $neg (param $v i64) (result i64)
  (local.set $v (call $normalize (local.get $v)))
  (if (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_INT%))
    (then (return (call $mk_int (i64.sub (i64.const 0) (call $int_of (local.get $v)))))))
  (if (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_UNKNOWN%)) (then (return (i64.const %V_UNKNOWN%))))
  (i64.const %V_NULL%))

(func $not (param $v i64) (result i64)
  (local $t i32)
  (local.set $t (call $truth (local.get $v)))
  (if (result i64) (i32.eq (local.get $t) (i32.const 2))
    (then (i64.const %V_UNKNOWN%))
    (else (call $mk_bool (i32.eqz (local.get $t))))))

;; `a and b` once both truths are known (b is only evaluated when a is not false).
(func $and3 (param $ta i32) (param $tb i32) (result i64)
  (if (i32.eq (local.get $ta) (i32.const 1)) (then (return (call $from_tri (local.get $tb)))))
  (if (result i64) (i32.eqz (local.get $tb)) (then (i64.const %V_FALSE%)) (else (i64.const %V_UNKNOWN%))))

(func $or3 (param $ta i32) (param $tb i32) (result i64)
  (if (i32.eqz (local.get $ta)) (then (return (call $from_tri (local.get $tb)))))
  (if (result i64) (i32.eq (local.get $tb) (i32.const 1)) (then (i64.const %V_TRUE%)) (else (i64.const %V_UNKNOWN%))))

;; The tag map entry with key `k`, or -1.
(func $tag_index (param $map i32) (param $k i32) (result i32)
  (local $i i32) (local $n i32)
  (local.set $n (i32.load (local.get $map)))
  (block $done
    (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (call $str_eq (i32.load offset=4 (i32.add (local.get $map) (i32.shl (local.get $i) (i32.const 3)))) (local.get $k))
        (then (return (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (i32.const -1))

;; A json member (or element) with its part of the unknown tree.
(func $json_member (param $node i32) (param $u i32) (result i64)
  (if (result i64) (local.get $node)
    (then (call $normalize (call $mk_json (local.get $node) (local.get $u))))
    (else (if (result i64) (call $is_true_node (local.get $u)) (then (i64.const %V_UNKNOWN%)) (else (i64.const %V_NULL%))))))

;; `x.key` on json.
(func $json_field (param $v i64) (param $key i32) (result i64)
  (if (call $json_kind (local.get $v) (i32.const %K_OBJ%))
    (then (return (call $json_member
      (call $node_get (call $jnode (local.get $v)) (local.get $key))
      (call $node_get (call $jtree (local.get $v)) (local.get $key))))))
  (if (result i64) (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_UNKNOWN%))
    (then (i64.const %V_UNKNOWN%)) (else (i64.const %V_NULL%))))

;; `c[i]`.
(func $index (param $c i64) (param $i i64) (result i64)
  (local $s i32) (local $k i32) (local $n i64) (local $tc i32)
  (if (i32.or (call $is_unknown (local.get $c)) (call $is_unknown (local.get $i))) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $i (call $normalize (local.get $i)))
  (local.set $tc (i32.wrap_i64 (i64.shr_u (local.get $c) (i64.const 32))))
  (if (i32.eq (local.get $tc) (i32.const %TAG_TAGS%))
    (then
      (local.set $s (call $as_str (local.get $i)))
      (if (i32.eqz (local.get $s)) (then (return (i64.const %V_NULL%))))
      (local.set $k (call $tag_index (i32.wrap_i64 (local.get $c)) (local.get $s)))
      (if (i32.lt_s (local.get $k) (i32.const 0)) (then (return (i64.const %V_NULL%))))
      (local.set $k (i32.load offset=8 (i32.add (i32.wrap_i64 (local.get $c)) (i32.shl (local.get $k) (i32.const 3)))))
      (if (i32.eqz (local.get $k)) (then (return (i64.const %V_UNKNOWN%))))
      (return (call $mk_str (local.get $k)))))
  (if (call $json_kind (local.get $c) (i32.const %K_OBJ%))
    (then
      (local.set $s (call $as_str (local.get $i)))
      (if (i32.eqz (local.get $s)) (then (return (i64.const %V_NULL%))))
      (return (call $json_member
        (call $node_get (call $jnode (local.get $c)) (local.get $s))
        (call $node_get (call $jtree (local.get $c)) (local.get $s))))))
  (if (i32.ne (i32.wrap_i64 (i64.shr_u (local.get $i) (i64.const 32))) (i32.const %TAG_INT%)) (then (return (i64.const %V_NULL%))))
  (local.set $n (call $int_of (local.get $i)))
  (if (call $json_kind (local.get $c) (i32.const %K_ARR%))
    (then
      (if (i64.lt_s (local.get $n) (i64.const 0)) (then (return (call $json_member (i32.const 0) (i32.const 0)))))
      (return (call $json_member
        (call $node_at (call $jnode (local.get $c)) (local.get $n))
        (call $node_at (call $jtree (local.get $c)) (local.get $n))))))
  (if (i32.and (call $is_collection (local.get $c))
               (i32.and (i64.ge_s (local.get $n) (i64.const 0)) (i64.lt_s (local.get $n) (i64.extend_i32_u (call $len (local.get $c))))))
    (then (return (call $nth (local.get $c) (i32.wrap_i64 (local.get $n))))))
  (i64.const %V_NULL%))

;; Read a model field (`eval::field`); field ids are `layout::field_id`.
(func $field (param $v i64) (param $f i32) (result i64)
  (local $t i32) (local $p i32) (local $h i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (local.set $p (i32.wrap_i64 (local.get $v)))
  (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (return (i64.const %V_UNKNOWN%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_RES%))
    (then
      (block $bad
        (block $flows (block $attrs (block $tags (block $custody (block $location (block $provider
        (block $input (block $actions (block $mode (block $name (block $type (block $address
          (br_table $address $type $name $mode $actions $input $provider $location $custody $tags $attrs $flows $bad (local.get $f)))
          (return (call $mk_str (i32.load (local.get $p)))))
          (return (call $mk_str (i32.load offset=4 (local.get $p)))))
          (return (call $mk_str (i32.load offset=8 (local.get $p)))))
          (return (call $mk_str (i32.load offset=12 (local.get $p)))))
          (return (call $mk (i32.const %TAG_STRLIST%) (i32.load offset=16 (local.get $p)))))
          (return (call $opt_str (i32.load offset=20 (local.get $p)))))
          (return (call $mk (i32.const %TAG_PROV%) (i32.load offset=24 (local.get $p)))))
          (return (call $mk (i32.const %TAG_LOC%) (i32.load offset=28 (local.get $p)))))
          (return (call $mk (i32.const %TAG_CUST%) (i32.load offset=32 (local.get $p)))))
          (local.set $h (i32.load offset=36 (local.get $p)))
          (if (i32.eqz (local.get $h)) (then (return (i64.const %V_UNKNOWN%))))
          (return (call $mk (i32.const %TAG_TAGS%) (local.get $h))))
          (return (call $mk_json (i32.load offset=40 (local.get $p)) (i32.load offset=44 (local.get $p)))))
          (return (call $mk (i32.const %TAG_FLOWS%) (i32.load offset=48 (local.get $p)))))
      (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_PROV%))
    (then
      (if (i32.eq (local.get $f) (i32.const 12)) (then (return (call $mk_str (i32.load (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 13)) (then (return (call $opt_str (i32.load offset=4 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 14)) (then (return (call $opt_str (i32.load offset=8 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 15)) (then (return (call $known_str (i32.load offset=12 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 16)) (then (return (call $known_str (i32.load offset=16 (local.get $p))))))
      (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_LOC%))
    (then
      (if (i32.eq (local.get $f) (i32.const 17))
        (then
          (local.set $h (i32.load (local.get $p)))
          (if (i32.eq (local.get $h) (i32.const 2)) (then (return (i64.const %V_UNKNOWN%))))
          (if (i32.eqz (local.get $h)) (then (return (i64.const %V_NULL%))))
          (return (call $mk_str (i32.load offset=4 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 18))
        (then
          (local.set $h (i32.load offset=8 (local.get $p)))
          (if (i32.eqz (local.get $h)) (then (return (i64.const %V_UNKNOWN%))))
          (return (call $mk (i32.const %TAG_STRSET%) (local.get $h)))))
      (if (i32.eq (local.get $f) (i32.const 19))
        (then
          (local.set $h (i32.load offset=12 (local.get $p)))
          (if (i32.eqz (local.get $h)) (then (return (i64.const %V_NULL%))))
          (return (call $mk (i32.const %TAG_COMP%) (local.get $h)))))
      (if (i32.eq (local.get $f) (i32.const 20)) (then (return (call $mk_str (i32.load offset=16 (local.get $p))))))
      (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_CUST%))
    (then
      (if (i32.eq (local.get $f) (i32.const 21)) (then (return (call $known_str (i32.load (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 22)) (then (return (call $known_str (i32.load offset=4 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 32))
        (then
          (local.set $h (i32.load offset=8 (local.get $p)))
          (if (i32.eqz (local.get $h)) (then (return (i64.const %V_UNKNOWN%))))
          (return (call $mk (i32.const %TAG_LINKS%) (local.get $h)))))
      (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_LINK%))
    (then
      (if (i32.eq (local.get $f) (i32.const 33)) (then (return (call $mk_str (i32.load (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 34)) (then (return (call $mk_str (i32.load offset=4 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 35)) (then (return (call $mk_str (i32.load offset=8 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 36)) (then (return (call $mk (i32.const %TAG_STRLIST%) (i32.load offset=12 (local.get $p))))))
      (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_FLOW%))
    (then
      (if (i32.eq (local.get $f) (i32.const 23)) (then (return (call $mk_str (i32.load (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 24)) (then (return (call $mk_str (i32.load offset=4 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 25)) (then (return (call $mk_bool (i32.load offset=8 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 26)) (then (return (call $mk_str (i32.load offset=12 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 27)) (then (return (call $mk (i32.const %TAG_INT%) (i32.add (local.get $p) (i32.const 16))))))
      (if (i32.eq (local.get $f) (i32.const 28)) (then (return (call $mk (i32.const %TAG_LOC%) (i32.load offset=24 (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 29)) (then (return (call $mk (i32.const %TAG_CUST%) (i32.load offset=28 (local.get $p))))))
      (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $t) (i32.const %TAG_COMP%))
    (then
      (if (i32.eq (local.get $f) (i32.const 30)) (then (return (call $mk_str (i32.load (local.get $p))))))
      (if (i32.eq (local.get $f) (i32.const 31)) (then (return (call $mk_str (i32.load offset=4 (local.get $p))))))))
  (i64.const %V_NULL%))

(func $opt_str (param $h i32) (result i64)
  (if (result i64) (local.get $h) (then (call $mk_str (local.get $h))) (else (i64.const %V_NULL%))))

(func $known_str (param $h i32) (result i64)
  (if (result i64) (local.get $h) (then (call $mk_str (local.get $h))) (else (i64.const %V_UNKNOWN%))))
