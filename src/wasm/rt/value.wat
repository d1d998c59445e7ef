;; Values, mirroring `eval::value`: normalisation, truth, collections, the total
;; order used by sets, and set construction.

;; The DOM node and unknown tree of a json value.
(func $jnode (param $v i64) (result i32)
  (if (result i32) (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_JSON%))
    (then (i32.wrap_i64 (local.get $v)))
    (else (i32.load (i32.wrap_i64 (local.get $v))))))

(func $jtree (param $v i64) (result i32)
  (if (result i32) (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_JSON%))
    (then (i32.const 0))
    (else (i32.load offset=4 (i32.wrap_i64 (local.get $v))))))

(func $is_json (param $v i64) (result i32)
  (i32.or (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_JSON%))
          (i32.eq (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))) (i32.const %TAG_JSONT%))))

(func $mk_json (param $node i32) (param $tree i32) (result i64)
  (local $cell i32)
  (if (i32.eqz (local.get $tree)) (then (return (call $mk (i32.const %TAG_JSON%) (local.get $node)))))
  (local.set $cell (call $alloc (i32.const 8)))
  (i32.store (local.get $cell) (local.get $node))
  (i32.store offset=4 (local.get $cell) (local.get $tree))
  (call $mk (i32.const %TAG_JSONT%) (local.get $cell)))

;; A json value whose node has kind `k`.
(func $json_kind (param $v i64) (param $k i32) (result i32)
  (if (result i32) (call $is_json (local.get $v))
    (then (i32.eq (call $kind (call $jnode (local.get $v))) (local.get $k)))
    (else (i32.const 0))))

(func $is_unknown (param $v i64) (result i32)
  (local $t i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (return (i32.const 1))))
  (if (i32.eq (local.get $t) (i32.const %TAG_JSONT%)) (then (return (call $is_true_node (call $jtree (local.get $v))))))
  (i32.const 0))

;; Strip the json wrapper from scalars.
(func $normalize (param $v i64) (result i64)
  (local $n i32) (local $k i32)
  (if (i32.eqz (call $is_json (local.get $v))) (then (return (local.get $v))))
  (if (call $is_true_node (call $jtree (local.get $v))) (then (return (i64.const %V_UNKNOWN%))))
  (local.set $n (call $jnode (local.get $v)))
  (local.set $k (call $kind (local.get $n)))
  (if (i32.eq (local.get $k) (i32.const %K_NULL%)) (then (return (i64.const %V_NULL%))))
  (if (i32.eq (local.get $k) (i32.const %K_FALSE%)) (then (return (i64.const %V_FALSE%))))
  (if (i32.eq (local.get $k) (i32.const %K_TRUE%)) (then (return (i64.const %V_TRUE%))))
  (if (i32.eq (local.get $k) (i32.const %K_STR%)) (then (return (call $mk_str (i32.add (local.get $n) (i32.const 4))))))
  (if (i32.and (i32.eq (local.get $k) (i32.const %K_NUM%)) (i32.load offset=12 (local.get $n)))
    (then (return (call $mk (i32.const %TAG_INT%) (i32.add (local.get $n) (i32.const 16))))))
  (local.get $v))

;; `Value::as_str`: a header or 0.
(func $as_str (param $v i64) (result i32)
  (local $t i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (if (i32.eq (local.get $t) (i32.const %TAG_STR%)) (then (return (i32.wrap_i64 (local.get $v)))))
  (if (i32.and (i32.eq (local.get $t) (i32.const %TAG_JSON%))
               (i32.eq (call $kind (i32.wrap_i64 (local.get $v))) (i32.const %K_STR%)))
    (then (return (i32.add (i32.wrap_i64 (local.get $v)) (i32.const 4)))))
  (i32.const 0))

(func $truth (param $v i64) (result i32)
  (local $t i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (if (i32.eq (local.get $t) (i32.const %TAG_BOOL%)) (then (return (i32.wrap_i64 (local.get $v)))))
  (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (return (i32.const 2))))
  (if (call $is_json (local.get $v))
    (then
      (if (call $is_true_node (call $jtree (local.get $v))) (then (return (i32.const 2))))
      (return (i32.eq (call $kind (call $jnode (local.get $v))) (i32.const %K_TRUE%)))))
  (i32.const 0))

(func $is_collection (param $v i64) (result i32)
  (local $t i32) (local $k i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (if (i32.ge_u (local.get $t) (i32.const %TAG_TAGS%)) (then (return (i32.const 1))))
  (if (i32.eq (local.get $t) (i32.const %TAG_NULL%)) (then (return (i32.const 1))))
  (if (call $is_json (local.get $v))
    (then
      (local.set $k (call $kind (call $jnode (local.get $v))))
      (return (i32.or (i32.eq (local.get $k) (i32.const %K_ARR%)) (i32.eq (local.get $k) (i32.const %K_OBJ%))))))
  (i32.const 0))

(func $len (param $v i64) (result i32)
  (local $t i32) (local $k i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (if (i32.ge_u (local.get $t) (i32.const %TAG_TAGS%)) (then (return (i32.load (i32.wrap_i64 (local.get $v))))))
  (if (call $is_json (local.get $v))
    (then
      (local.set $k (call $kind (call $jnode (local.get $v))))
      (if (i32.or (i32.eq (local.get $k) (i32.const %K_ARR%)) (i32.eq (local.get $k) (i32.const %K_OBJ%)))
        (then (return (call $arr_count (call $jnode (local.get $v))))))))
  (i32.const 0))

;; Element `i` of a collection (maps yield their keys).
(func $nth (param $v i64) (param $i i32) (result i64)
  (local $t i32) (local $p i32) (local $n i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (local.set $p (i32.wrap_i64 (local.get $v)))
  (if (i32.or (i32.eq (local.get $t) (i32.const %TAG_STRLIST%)) (i32.eq (local.get $t) (i32.const %TAG_STRSET%)))
    (then (return (call $mk_str (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))))
  (if (i32.eq (local.get $t) (i32.const %TAG_FLOWS%))
    (then (return (call $mk (i32.const %TAG_FLOW%) (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))))
  (if (i32.eq (local.get $t) (i32.const %TAG_LINKS%))
    (then (return (call $mk (i32.const %TAG_LINK%) (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))))
  (if (i32.ge_u (local.get $t) (i32.const %TAG_CLIST%))
    (then (return (call $list_get (local.get $p) (local.get $i)))))
  (if (i32.eq (local.get $t) (i32.const %TAG_TAGS%))
    (then (return (call $mk_str (i32.load offset=4 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))))))
  (if (call $is_json (local.get $v))
    (then
      (local.set $n (call $jnode (local.get $v)))
      (if (i32.eq (call $kind (local.get $n)) (i32.const %K_ARR%))
        (then (return (call $normalize (call $mk_json (call $arr_item (local.get $n) (local.get $i))
          (call $node_at (call $jtree (local.get $v)) (i64.extend_i32_u (local.get $i))))))))
      (if (i32.eq (call $kind (local.get $n)) (i32.const %K_OBJ%))
        (then (return (call $mk_str (call $obj_key (local.get $n) (local.get $i))))))))
  (i64.const %V_NULL%))

(func $rank (param $v i64) (result i32)
  (local $t i32)
  (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
  (if (i32.eq (local.get $t) (i32.const %TAG_UNKNOWN%)) (then (return (i32.const 0))))
  (if (i32.eq (local.get $t) (i32.const %TAG_NULL%)) (then (return (i32.const 1))))
  (if (i32.eq (local.get $t) (i32.const %TAG_BOOL%)) (then (return (i32.const 2))))
  (if (i32.eq (local.get $t) (i32.const %TAG_INT%)) (then (return (i32.const 3))))
  (if (i32.eq (local.get $t) (i32.const %TAG_DATE%)) (then (return (i32.const 4))))
  (if (i32.eq (local.get $t) (i32.const %TAG_STR%)) (then (return (i32.const 5))))
  (if (call $is_collection (local.get $v)) (then (return (i32.const 7))))
  (i32.const 6))

(func $cmp_i64 (param $a i64) (param $b i64) (result i32)
  (i32.sub (i64.gt_s (local.get $a) (local.get $b)) (i64.lt_s (local.get $a) (local.get $b))))

;; `value::compare`: the total order of sets — kind first, then value.
(func $compare (param $a i64) (param $b i64) (result i32)
  (local $ta i32) (local $tb i32) (local $sa i32) (local $sb i32) (local $ra i32) (local $rb i32)
  (local $i i32) (local $n i32) (local $o i32) (local $la i32) (local $lb i32) (local $m i32)
  (local.set $a (call $normalize (local.get $a)))
  (local.set $b (call $normalize (local.get $b)))
  (local.set $ta (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
  (local.set $tb (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 32))))
  (if (i32.eq (local.get $ta) (local.get $tb))
    (then
      (if (i32.eq (local.get $ta) (i32.const %TAG_BOOL%))
        (then (return (i32.sub (i32.wrap_i64 (local.get $a)) (i32.wrap_i64 (local.get $b))))))
      (if (i32.eq (local.get $ta) (i32.const %TAG_INT%))
        (then (return (call $cmp_i64 (call $int_of (local.get $a)) (call $int_of (local.get $b))))))
      (if (i32.eq (local.get $ta) (i32.const %TAG_DATE%))
        (then (return (call $cmp_i64 (i64.extend_i32_s (i32.wrap_i64 (local.get $a))) (i64.extend_i32_s (i32.wrap_i64 (local.get $b)))))))))
  (local.set $sa (call $as_str (local.get $a)))
  (local.set $sb (call $as_str (local.get $b)))
  (if (i32.and (i32.ne (local.get $sa) (i32.const 0)) (i32.ne (local.get $sb) (i32.const 0)))
    (then (return (call $str_cmp (local.get $sa) (local.get $sb)))))
  (local.set $ra (call $rank (local.get $a)))
  (local.set $rb (call $rank (local.get $b)))
  (if (i32.ne (local.get $ra) (local.get $rb))
    (then (return (select (i32.const -1) (i32.const 1) (i32.lt_u (local.get $ra) (local.get $rb))))))
  (if (i32.and (call $is_collection (local.get $a)) (call $is_collection (local.get $b)))
    (then
      (local.set $la (call $len (local.get $a)))
      (local.set $lb (call $len (local.get $b)))
      (local.set $n (select (local.get $la) (local.get $lb) (i32.lt_u (local.get $la) (local.get $lb))))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $o (call $compare (call $nth (local.get $a) (local.get $i)) (call $nth (local.get $b) (local.get $i))))
          (if (local.get $o) (then (return (local.get $o))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (return (i32.sub (i32.gt_u (local.get $la) (local.get $lb)) (i32.lt_u (local.get $la) (local.get $lb))))))
  (local.set $m (global.get $heap))
  (local.set $o (call $str_cmp (call $display_str (local.get $a)) (call $display_str (local.get $b))))
  (call $release (local.get $m))
  (local.get $o))

;; ---------------------------------------------------------------- sorting

;; Stable merge sort of `n` values at `p` (8 bytes each) by `$compare`.
(func $sort_values (param $p i32) (param $n i32)
  (local $tmp i32) (local $width i32) (local $lo i32) (local $mid i32) (local $hi i32)
  (local $i i32) (local $j i32) (local $k i32) (local $src i32) (local $dst i32) (local $t i32)
  (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return)))
  (local.set $tmp (call $alloc (i32.shl (local.get $n) (i32.const 3))))
  (local.set $src (local.get $p))
  (local.set $dst (local.get $tmp))
  (local.set $width (i32.const 1))
  (block $done
    (loop $pass
      (br_if $done (i32.ge_u (local.get $width) (local.get $n)))
      (local.set $lo (i32.const 0))
      (block $pass_done
        (loop $run
          (br_if $pass_done (i32.ge_u (local.get $lo) (local.get $n)))
          (local.set $mid (select (i32.add (local.get $lo) (local.get $width)) (local.get $n)
            (i32.lt_u (i32.add (local.get $lo) (local.get $width)) (local.get $n))))
          (local.set $hi (select (i32.add (local.get $mid) (local.get $width)) (local.get $n)
            (i32.lt_u (i32.add (local.get $mid) (local.get $width)) (local.get $n))))
          (local.set $i (local.get $lo))
          (local.set $j (local.get $mid))
          (local.set $k (local.get $lo))
          (block $merged
            (loop $m
              (br_if $merged (i32.ge_u (local.get $k) (local.get $hi)))
              (local.set $t (i32.const 0))
              (if (i32.lt_u (local.get $i) (local.get $mid))
                (then
                  (local.set $t (i32.const 1))
                  (if (i32.lt_u (local.get $j) (local.get $hi))
                    (then
                      (local.set $t (i32.le_s (call $compare
                        (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
                        (i64.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3)))))
                        (i32.const 0)))))))
              (if (local.get $t)
                (then
                  (i64.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 3)))
                    (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1))))
                (else
                  (i64.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 3)))
                    (i64.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3)))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $m)))
          (local.set $lo (local.get $hi))
          (br $run)))
      (local.set $t (local.get $src))
      (local.set $src (local.get $dst))
      (local.set $dst (local.get $t))
      (local.set $width (i32.shl (local.get $width) (i32.const 1)))
      (br $pass)))
  (if (i32.ne (local.get $src) (local.get $p))
    (then (memory.copy (local.get $p) (local.get $src) (i32.shl (local.get $n) (i32.const 3))))))

;; Stable merge sort of `n` pointers at `p` with comparator `cmp` (table index).
(type $cmp_fn (func (param i32 i32) (result i32)))
(func $sort_ptrs (param $p i32) (param $n i32) (param $cmp i32)
  (local $tmp i32) (local $width i32) (local $lo i32) (local $mid i32) (local $hi i32)
  (local $i i32) (local $j i32) (local $k i32) (local $src i32) (local $dst i32) (local $t i32)
  (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return)))
  (local.set $tmp (call $alloc (i32.shl (local.get $n) (i32.const 2))))
  (local.set $src (local.get $p))
  (local.set $dst (local.get $tmp))
  (local.set $width (i32.const 1))
  (block $done
    (loop $pass
      (br_if $done (i32.ge_u (local.get $width) (local.get $n)))
      (local.set $lo (i32.const 0))
      (block $pass_done
        (loop $run
          (br_if $pass_done (i32.ge_u (local.get $lo) (local.get $n)))
          (local.set $mid (select (i32.add (local.get $lo) (local.get $width)) (local.get $n)
            (i32.lt_u (i32.add (local.get $lo) (local.get $width)) (local.get $n))))
          (local.set $hi (select (i32.add (local.get $mid) (local.get $width)) (local.get $n)
            (i32.lt_u (i32.add (local.get $mid) (local.get $width)) (local.get $n))))
          (local.set $i (local.get $lo))
          (local.set $j (local.get $mid))
          (local.set $k (local.get $lo))
          (block $merged
            (loop $m
              (br_if $merged (i32.ge_u (local.get $k) (local.get $hi)))
              (local.set $t (i32.const 0))
              (if (i32.lt_u (local.get $i) (local.get $mid))
                (then
                  (local.set $t (i32.const 1))
                  (if (i32.lt_u (local.get $j) (local.get $hi))
                    (then
                      (local.set $t (i32.le_s (call_indirect (type $cmp_fn)
                        (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
                        (i32.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
                        (local.get $cmp))
                        (i32.const 0)))))))
              (if (local.get $t)
                (then
                  (i32.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 2)))
                    (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1))))
                (else
                  (i32.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 2)))
                    (i32.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $m)))
          (local.set $lo (local.get $hi))
          (br $run)))
      (local.set $t (local.get $src))
      (local.set $src (local.get $dst))
      (local.set $dst (local.get $t))
      (local.set $width (i32.shl (local.get $width) (i32.const 1)))
      (br $pass)))
  (if (i32.ne (local.get $src) (local.get $p))
    (then (memory.copy (local.get $p) (local.get $src) (i32.shl (local.get $n) (i32.const 2))))))

;; `value::make_set` over a list: sort, keep the first of each run of equals.
(func $make_set (param $l i32) (result i64)
  (local $n i32) (local $i i32) (local $k i32)
  (local.set $n (i32.load (local.get $l)))
  (call $sort_values (i32.add (local.get $l) (i32.const 8)) (local.get $n))
  (if (local.get $n)
    (then
      (local.set $k (i32.const 1))
      (local.set $i (i32.const 1))
      (block $done
        (loop $d
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (if (call $compare (call $list_get (local.get $l) (local.get $i)) (call $list_get (local.get $l) (i32.sub (local.get $k) (i32.const 1))))
            (then
              (call $list_set (local.get $l) (local.get $k) (call $list_get (local.get $l) (local.get $i)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $d)))
      (i32.store (local.get $l) (local.get $k))))
  (call $mk (i32.const %TAG_SET%) (local.get $l)))

(func $any_unknown (param $l i32) (result i32)
  (local $i i32)
  (block $done
    (loop $x
      (br_if $done (i32.ge_u (local.get $i) (i32.load (local.get $l))))
      (if (call $is_unknown (call $list_get (local.get $l) (local.get $i))) (then (return (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $x)))
  (i32.const 0))

;; A set literal or set-valued result: a list while a member is unknown (so
;; membership questions stay answerable), else a sorted set.
(func $set_or_list (param $l i32) (result i64)
  (if (result i64) (call $any_unknown (local.get $l))
    (then (call $mk (i32.const %TAG_LIST%) (local.get $l)))
    (else (call $make_set (local.get $l)))))
