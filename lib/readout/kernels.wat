;; WebAssembly SIMD kernels of the readout's pixel pass (see kernels.ts, which loads them, and
;; fused.ts, which calls them). Compiled to kernels.wasm by scripts/build-kernels.ts.
(module
  (import "env" "memory" (memory 1))

  ;; gather16: `count` uint16 pixels at byte addresses src, src + stride, ... (stride may be
  ;; negative; 2 and -2, pixels side by side, are read eight at a time) to dst as big-endian words with the top bit flipped (FITS BZERO 32768). Adds to the
  ;; two i64 at `sums` the high (+0) and low (+8) 16-bit halves of the file's 32-bit words written
  ;; (dst's place in its word decides which is which: data units start on 4-byte boundaries). When
  ;; `stats` is not 0, stores there the sum (+0) and sum of squares (+8) of the pixel values, as
  ;; float64 (exact: count < 2^18 keeps every sum below 2^53 and the 32-bit lane sums exact).
  (func $gather16 (export "gather16")
    (param $src i32) (param $stride i32) (param $count i32) (param $dst i32) (param $sums i32) (param $stats i32)
    (local $v v128) (local $u v128) (local $sq v128)
    (local $evenLanes v128) (local $oddLanes v128) (local $sum v128) (local $squares v128)
    (local $p i32) (local $end i32) (local $x i32) (local $d i32)
    (local $even i64) (local $odd i64) (local $high i64) (local $low i64) (local $total i64) (local $totalSquares i64) (local $k i64)
    (local.set $p (local.get $src))
    (local.set $d (local.get $dst))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $count) (i32.const -8)) (i32.const 1))))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
        (if (i32.eq (local.get $stride) (i32.const 2))
          (then
            (local.set $v (v128.load (local.get $p)))
            (local.set $p (i32.add (local.get $p) (i32.const 16))))
          (else
            (if (i32.eq (local.get $stride) (i32.const -2))
              (then
                (local.set $v (i8x16.shuffle 14 15 12 13 10 11 8 9 6 7 4 5 2 3 0 1 (v128.load (i32.sub (local.get $p) (i32.const 14))) (local.get $v)))
                (local.set $p (i32.sub (local.get $p) (i32.const 16))))
              (else
                (local.set $v (v128.load16_lane 0 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 1 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 2 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 3 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 4 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 5 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 6 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $v (v128.load16_lane 7 (local.get $p) (local.get $v)))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))))))
        (local.set $u (v128.xor (local.get $v) (v128.const i16x8 0x8000 0x8000 0x8000 0x8000 0x8000 0x8000 0x8000 0x8000)))
        (v128.store (local.get $d) (i8x16.shuffle 1 0 3 2 5 4 7 6 9 8 11 10 13 12 15 14 (local.get $u) (local.get $u)))
        (local.set $evenLanes (i32x4.add (local.get $evenLanes) (v128.and (local.get $u) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff))))
        (local.set $oddLanes (i32x4.add (local.get $oddLanes) (i32x4.shr_u (local.get $u) (i32.const 16))))
        (local.set $sum (i32x4.add (local.get $sum) (i32x4.extadd_pairwise_i16x8_u (local.get $v))))
        ;; Squares of u as signed (v - 32768), two to a lane: at most 2^31, exact read as unsigned.
        (local.set $sq (i32x4.dot_i16x8_s (local.get $u) (local.get $u)))
        (local.set $squares (i64x2.add (local.get $squares) (i64x2.extend_low_i32x4_u (local.get $sq))))
        (local.set $squares (i64x2.add (local.get $squares) (i64x2.extend_high_i32x4_u (local.get $sq))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (br $eight)))
    (local.set $even (call $laneTotal (local.get $evenLanes)))
    (local.set $odd (call $laneTotal (local.get $oddLanes)))
    (local.set $total (call $laneTotal (local.get $sum)))
    ;; sum v^2 = sum (v - 32768)^2 + 65536 (sum v - 32768 k) + 2^30 k, for the k = count - count % 8 pixels so far.
    (local.set $k (i64.extend_i32_u (i32.and (local.get $count) (i32.const -8))))
    (local.set $totalSquares
      (i64.add
        (i64.add (i64x2.extract_lane 0 (local.get $squares)) (i64x2.extract_lane 1 (local.get $squares)))
        (i64.add
          (i64.mul (i64.const 65536) (i64.sub (local.get $total) (i64.mul (i64.const 32768) (local.get $k))))
          (i64.mul (i64.const 0x40000000) (local.get $k)))))
    ;; The last count % 8 pixels, one at a time.
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 1))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $d) (local.get $end)))
        (local.set $x (i32.load16_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (i32.store16 (local.get $d) (call $bigEndian16 (i32.xor (local.get $x) (i32.const 0x8000))))
        (if (i32.and (i32.sub (local.get $d) (local.get $dst)) (i32.const 2))
          (then (local.set $odd (i64.add (local.get $odd) (i64.extend_i32_u (i32.xor (local.get $x) (i32.const 0x8000))))))
          (else (local.set $even (i64.add (local.get $even) (i64.extend_i32_u (i32.xor (local.get $x) (i32.const 0x8000)))))))
        (local.set $total (i64.add (local.get $total) (i64.extend_i32_u (local.get $x))))
        (local.set $totalSquares (i64.add (local.get $totalSquares) (i64.extend_i32_u (i32.mul (local.get $x) (local.get $x)))))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $one)))
    ;; even/odd count from dst; the file's word halves from dst's place in its word.
    (if (i32.and (local.get $dst) (i32.const 2))
      (then (local.set $high (local.get $odd)) (local.set $low (local.get $even)))
      (else (local.set $high (local.get $even)) (local.set $low (local.get $odd))))
    (i64.store offset=0 (local.get $sums) (i64.add (i64.load offset=0 (local.get $sums)) (local.get $high)))
    (i64.store offset=8 (local.get $sums) (i64.add (i64.load offset=8 (local.get $sums)) (local.get $low)))
    (if (local.get $stats)
      (then
        (f64.store offset=0 (local.get $stats) (f64.convert_i64_u (local.get $total)))
        (f64.store offset=8 (local.get $stats) (f64.convert_i64_u (local.get $totalSquares))))))

  ;; unzip16: one stream row of `n` amps (n a multiple of 8), `width` columns of n interleaved
  ;; pixels, to n amp rows of `width` pixels side by side: amp a's at dst + 2 a width. By 8 x 8
  ;; blocks read whole; the last width % 8 columns one pixel at a time.
  (func $unzip16 (export "unzip16") (param $src i32) (param $n i32) (param $width i32) (param $dst i32)
    (local $c i32) (local $g i32) (local $a i32) (local $blocks i32) (local $from i32) (local $to i32) (local $srcRow i32) (local $dstRow i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128)
    (local.set $srcRow (i32.shl (local.get $n) (i32.const 1)))
    (local.set $dstRow (i32.shl (local.get $width) (i32.const 1)))
    (local.set $blocks (i32.and (local.get $width) (i32.const -8)))
    (block $blocksDone
      (loop $columns
        (br_if $blocksDone (i32.ge_u (local.get $c) (local.get $blocks)))
        (local.set $g (i32.const 0))
        (loop $groups
          ;; The 8 x 8 block of columns c.. and amps g.., transposed: three rounds of interleaving (pixels, pairs, quads).
          (local.set $from (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $g)) (i32.const 1))))
          (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $g) (local.get $width)) (local.get $c)) (i32.const 1))))
          (local.set $r0 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r1 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r2 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r3 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r4 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r5 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r6 (v128.load (local.get $from)))
          (local.set $from (i32.add (local.get $from) (local.get $srcRow)))
          (local.set $r7 (v128.load (local.get $from)))
          (local.set $t0 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r0) (local.get $r1)))
          (local.set $t1 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r0) (local.get $r1)))
          (local.set $t2 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r2) (local.get $r3)))
          (local.set $t3 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r2) (local.get $r3)))
          (local.set $t4 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r4) (local.get $r5)))
          (local.set $t5 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r4) (local.get $r5)))
          (local.set $t6 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $r6) (local.get $r7)))
          (local.set $t7 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $r6) (local.get $r7)))
          (local.set $r0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t0) (local.get $t2)))
          (local.set $r1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t0) (local.get $t2)))
          (local.set $r2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t1) (local.get $t3)))
          (local.set $r3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t1) (local.get $t3)))
          (local.set $r4 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t4) (local.get $t6)))
          (local.set $r5 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t4) (local.get $t6)))
          (local.set $r6 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t5) (local.get $t7)))
          (local.set $r7 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t5) (local.get $t7)))
          (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r4)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r4)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r1) (local.get $r5)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r1) (local.get $r5)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r2) (local.get $r6)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r2) (local.get $r6)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r3) (local.get $r7)))
          (local.set $to (i32.add (local.get $to) (local.get $dstRow)))
          (v128.store (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r3) (local.get $r7)))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (br_if $groups (i32.lt_u (local.get $g) (local.get $n))))
        (local.set $c (i32.add (local.get $c) (i32.const 8)))
        (br $columns)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $c) (local.get $width)))
        (local.set $a (i32.const 0))
        (loop $amps
          (i32.store16
            (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $width)) (local.get $c)) (i32.const 1)))
            (i32.load16_u (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $a)) (i32.const 1)))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br_if $amps (i32.lt_u (local.get $a) (local.get $n))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $tail))))

  ;; rows16: stream rows [first, last) of a raw uint16 readout of `n` amps, `width` pixels a row and
  ;; `height` rows, each amp's row into its data unit by gather16: prescan, then its `dataWidth`
  ;; data pixels, then overscan. `amps` holds four i32 per amp: its data unit's address, its flips
  ;; (1: in x, 2: in y), its data's first column, its sums' address. In the first `dataRows` stream
  ;; rows (every amp reads its data rows first) the data pixels' sums go to `rowSums`: two float64
  ;; per amp and raw row y (detector orientation), at rowSums + 16 (a * height + y). When `unzipped`
  ;; is not 0 (n a multiple of 8), each stream row is first unzipped there (unzip16), and the amps'
  ;; rows are read from it side by side: an amp's pixels eight to a load, not one.
  (func (export "rows16")
    (param $stream i32) (param $n i32) (param $width i32) (param $height i32) (param $dataRows i32) (param $dataWidth i32)
    (param $amps i32) (param $rowSums i32) (param $first i32) (param $last i32) (param $unzipped i32)
    (local $p i32) (local $a i32) (local $entry i32) (local $flipX i32) (local $x i32) (local $y i32)
    (local $stride i32) (local $from i32) (local $row i32) (local $sums i32) (local $data i32)
    (local $base i32) (local $step i32)
    (local.set $p (local.get $first))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $p) (local.get $last)))
        (local.set $data (i32.lt_u (local.get $p) (local.get $dataRows)))
        ;; Where the row's pixels are: amp a's k-th at base + 2 (k n + a), or unzipped + 2 (k + a width).
        (local.set $base (i32.add (local.get $stream) (i32.shl (i32.mul (i32.mul (local.get $p) (local.get $width)) (local.get $n)) (i32.const 1))))
        (local.set $step (local.get $n))
        (if (local.get $unzipped)
          (then
            (call $unzip16 (local.get $base) (local.get $n) (local.get $width) (local.get $unzipped))
            (local.set $base (local.get $unzipped))
            (local.set $step (i32.const 1))))
        (local.set $a (i32.const 0))
        (block $ampsDone
          (loop $eachAmp
            (br_if $ampsDone (i32.ge_u (local.get $a) (local.get $n)))
            (local.set $entry (i32.add (local.get $amps) (i32.shl (local.get $a) (i32.const 4))))
            (local.set $flipX (i32.and (i32.load offset=4 (local.get $entry)) (i32.const 1)))
            (local.set $x (i32.load offset=8 (local.get $entry)))
            (local.set $sums (i32.load offset=12 (local.get $entry)))
            (local.set $y
              (select (i32.sub (i32.sub (local.get $height) (i32.const 1)) (local.get $p)) (local.get $p)
                (i32.and (i32.load offset=4 (local.get $entry)) (i32.const 2))))
            (local.set $stride (select (i32.mul (local.get $step) (i32.const -2)) (i32.shl (local.get $step) (i32.const 1)) (local.get $flipX)))
            ;; The amp's readout column 0 (detector column 0, or the last when flipped in x).
            (local.set $from
              (i32.add (local.get $base)
                (i32.shl
                  (i32.add
                    (i32.mul (select (i32.sub (local.get $width) (i32.const 1)) (i32.const 0) (local.get $flipX)) (local.get $step))
                    (select (i32.mul (local.get $a) (local.get $width)) (local.get $a) (local.get $unzipped)))
                  (i32.const 1))))
            (local.set $row (i32.add (i32.load (local.get $entry)) (i32.shl (i32.mul (local.get $y) (local.get $width)) (i32.const 1))))
            (call $gather16 (local.get $from) (local.get $stride) (local.get $x) (local.get $row) (local.get $sums) (i32.const 0))
            (call $gather16
              (i32.add (local.get $from) (i32.mul (local.get $x) (local.get $stride))) (local.get $stride) (local.get $dataWidth)
              (i32.add (local.get $row) (i32.shl (local.get $x) (i32.const 1))) (local.get $sums)
              (select
                (i32.add (local.get $rowSums) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $height)) (local.get $y)) (i32.const 4)))
                (i32.const 0)
                (local.get $data)))
            (local.set $x (i32.add (local.get $x) (local.get $dataWidth)))
            (call $gather16
              (i32.add (local.get $from) (i32.mul (local.get $x) (local.get $stride))) (local.get $stride) (i32.sub (local.get $width) (local.get $x))
              (i32.add (local.get $row) (i32.shl (local.get $x) (i32.const 1))) (local.get $sums) (i32.const 0))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $eachAmp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows))))

  ;; subtract32: `count` uint16 pixels at src, src + stride, ... minus `level`, to dst as big-endian
  ;; float32 (each difference rounded from float64 once). Adds the file words' high and low halves
  ;; to the i64 at sums + 0 and sums + 8 (like gather16; every word here is whole), and stores at
  ;; `out` the float64 sum and sum of squares of the differences, summed exactly as overscan.ts's
  ;; subtractRow sums them: even and odd pixels apart (the two lanes), in order, then added.
  (func (export "subtract32")
    (param $src i32) (param $stride i32) (param $count i32) (param $level f64) (param $dst i32) (param $sums i32) (param $out i32)
    (local $v v128) (local $d01 v128) (local $d23 v128) (local $f v128) (local $levels v128)
    (local $sum v128) (local $squares v128) (local $high v128) (local $low v128) (local $end i32) (local $odd i32) (local $x f64)
    (local.set $levels (f64x2.splat (local.get $level)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $v (v128.load16_lane 0 (local.get $src) (local.get $v)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $v (v128.load16_lane 1 (local.get $src) (local.get $v)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $v (v128.load16_lane 2 (local.get $src) (local.get $v)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $v (v128.load16_lane 3 (local.get $src) (local.get $v)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $v (i32x4.extend_low_i16x8_u (local.get $v)))
        (local.set $d01 (f64x2.sub (f64x2.convert_low_i32x4_u (local.get $v)) (local.get $levels)))
        (local.set $d23 (f64x2.sub
          (f64x2.convert_low_i32x4_u (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
          (local.get $levels)))
        (local.set $sum (f64x2.add (f64x2.add (local.get $sum) (local.get $d01)) (local.get $d23)))
        (local.set $squares (f64x2.add (f64x2.add (local.get $squares) (f64x2.mul (local.get $d01) (local.get $d01))) (f64x2.mul (local.get $d23) (local.get $d23))))
        (local.set $f (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $d01)) (f32x4.demote_f64x2_zero (local.get $d23))))
        (local.set $high (i32x4.add (local.get $high) (i32x4.shr_u (local.get $f) (i32.const 16))))
        (local.set $low (i32x4.add (local.get $low) (v128.and (local.get $f) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff))))
        (v128.store (local.get $dst) (i8x16.shuffle 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12 (local.get $f) (local.get $f)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $four)))
    ;; The last count % 4 pixels, one at a time: even ones to lane 0, odd ones to lane 1.
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $count) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $x (f64.sub (f64.convert_i32_u (i32.load16_u (local.get $src))) (local.get $level)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $d01 (f64x2.splat (local.get $x)))
        (local.set $f (f32x4.demote_f64x2_zero (local.get $d01)))
        (local.set $high (i32x4.add (local.get $high) (v128.and (i32x4.shr_u (local.get $f) (i32.const 16)) (v128.const i32x4 0xffff 0 0 0))))
        (local.set $low (i32x4.add (local.get $low) (v128.and (local.get $f) (v128.const i32x4 0xffff 0 0 0))))
        (v128.store32_lane 0 (local.get $dst) (i8x16.shuffle 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12 (local.get $f) (local.get $f)))
        (if (i32.eqz (local.get $odd))
          (then
            (local.set $sum (f64x2.replace_lane 0 (local.get $sum) (f64.add (f64x2.extract_lane 0 (local.get $sum)) (local.get $x))))
            (local.set $squares (f64x2.replace_lane 0 (local.get $squares) (f64.add (f64x2.extract_lane 0 (local.get $squares)) (f64.mul (local.get $x) (local.get $x))))))
          (else
            (local.set $sum (f64x2.replace_lane 1 (local.get $sum) (f64.add (f64x2.extract_lane 1 (local.get $sum)) (local.get $x))))
            (local.set $squares (f64x2.replace_lane 1 (local.get $squares) (f64.add (f64x2.extract_lane 1 (local.get $squares)) (f64.mul (local.get $x) (local.get $x)))))))
        (local.set $odd (i32.eqz (local.get $odd)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $one)))
    (i64.store offset=0 (local.get $sums) (i64.add (i64.load offset=0 (local.get $sums)) (call $laneTotal (local.get $high))))
    (i64.store offset=8 (local.get $sums) (i64.add (i64.load offset=8 (local.get $sums)) (call $laneTotal (local.get $low))))
    (f64.store offset=0 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $squares)) (f64x2.extract_lane 1 (local.get $squares)))))

  ;; pick16: `rows` rows of `count` uint16 pixels, as they are: row r's pixels at src + r * srcRow,
  ;; + stride, ... to dst + r * dstRow, dst + r * dstRow + 2, ... (any step may be negative).
  (func (export "pick16") (param $src i32) (param $stride i32) (param $count i32) (param $dst i32)
    (param $rows i32) (param $srcRow i32) (param $dstRow i32)
    (local $from i32) (local $to i32) (local $end i32)
    (block $done
      (loop $eachRow
        (br_if $done (i32.le_s (local.get $rows) (i32.const 0)))
        (local.set $from (local.get $src))
        (local.set $to (local.get $dst))
        (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 1))))
        (block $rowDone
          (loop $one
            (br_if $rowDone (i32.ge_u (local.get $to) (local.get $end)))
            (i32.store16 (local.get $to) (i32.load16_u (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $stride)))
            (local.set $to (i32.add (local.get $to) (i32.const 2)))
            (br $one)))
        (local.set $src (i32.add (local.get $src) (local.get $srcRow)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dstRow)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; clip16: of the `count` uint16 pixels at src, those within [lo, hi] (0 <= lo, hi <= 65535):
  ;; their number, sum and sum of squares, stored as three float64 at out (summed in 64-bit
  ;; integers: exact while the sum of squares stays below 2^53, two million pixels at full scale).
  (func (export "clip16") (param $src i32) (param $count i32) (param $lo i32) (param $hi i32) (param $out i32)
    (local $low v128) (local $high v128) (local $v v128) (local $in v128) (local $kept v128) (local $sq v128)
    (local $number v128) (local $sum v128) (local $squares v128)
    (local $end i32) (local $x i32) (local $n i64) (local $total i64) (local $totalSquares i64)
    (local.set $low (i16x8.splat (local.get $lo)))
    (local.set $high (i16x8.splat (local.get $hi)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $count) (i32.const -8)) (i32.const 1))))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (local.set $in (v128.and (i16x8.ge_u (local.get $v) (local.get $low)) (i16x8.le_u (local.get $v) (local.get $high))))
        (local.set $kept (v128.and (local.get $v) (local.get $in)))
        ;; `in` lanes are -1 where kept: subtracting their pairwise sums counts them.
        (local.set $number (i32x4.sub (local.get $number) (i32x4.extadd_pairwise_i16x8_s (local.get $in))))
        (local.set $sq (i32x4.extadd_pairwise_i16x8_u (local.get $kept)))
        (local.set $sum (i64x2.add (local.get $sum) (i64x2.extend_low_i32x4_u (local.get $sq))))
        (local.set $sum (i64x2.add (local.get $sum) (i64x2.extend_high_i32x4_u (local.get $sq))))
        (local.set $sq (i32x4.extmul_low_i16x8_u (local.get $kept) (local.get $kept)))
        (local.set $squares (i64x2.add (local.get $squares) (i64x2.extend_low_i32x4_u (local.get $sq))))
        (local.set $squares (i64x2.add (local.get $squares) (i64x2.extend_high_i32x4_u (local.get $sq))))
        (local.set $sq (i32x4.extmul_high_i16x8_u (local.get $kept) (local.get $kept)))
        (local.set $squares (i64x2.add (local.get $squares) (i64x2.extend_low_i32x4_u (local.get $sq))))
        (local.set $squares (i64x2.add (local.get $squares) (i64x2.extend_high_i32x4_u (local.get $sq))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $eight)))
    (local.set $n (call $laneTotal (local.get $number)))
    (local.set $total (i64.add (i64x2.extract_lane 0 (local.get $sum)) (i64x2.extract_lane 1 (local.get $sum))))
    (local.set $totalSquares (i64.add (i64x2.extract_lane 0 (local.get $squares)) (i64x2.extract_lane 1 (local.get $squares))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $count) (i32.const 7)) (i32.const 1))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $x (i32.load16_u (local.get $src)))
        (if (i32.and (i32.ge_u (local.get $x) (local.get $lo)) (i32.le_u (local.get $x) (local.get $hi)))
          (then
            (local.set $n (i64.add (local.get $n) (i64.const 1)))
            (local.set $total (i64.add (local.get $total) (i64.extend_i32_u (local.get $x))))
            (local.set $totalSquares (i64.add (local.get $totalSquares) (i64.extend_i32_u (i32.mul (local.get $x) (local.get $x)))))))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (br $one)))
    (f64.store offset=0 (local.get $out) (f64.convert_i64_u (local.get $n)))
    (f64.store offset=8 (local.get $out) (f64.convert_i64_u (local.get $total)))
    (f64.store offset=16 (local.get $out) (f64.convert_i64_u (local.get $totalSquares))))

  (func $laneTotal (param $lanes v128) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $lanes))) (i64.extend_i32_u (i32x4.extract_lane 1 (local.get $lanes))))
      (i64.add (i64.extend_i32_u (i32x4.extract_lane 2 (local.get $lanes))) (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $lanes))))))

  (func $bigEndian16 (param $x i32) (result i32)
    (i32.or (i32.shr_u (i32.and (local.get $x) (i32.const 0xff00)) (i32.const 8)) (i32.shl (i32.and (local.get $x) (i32.const 0xff)) (i32.const 8))))

  ;; The simulated controller's noise (simulate.ts holds the model; these are its inner loops).

  ;; permuted16: a row of `count` uint16 pixels to dst, out of its window of `table` in units of
  ;; `unit` pixels (8 or 16): unit u of the row is unit (multiplier * u + rotation) & mask of the
  ;; window (multiplier odd, mask one less than a power of two), a last part-unit as far as the row goes.
  (func (export "permuted16")
    (param $dst i32) (param $table i32) (param $count i32) (param $unit i32) (param $multiplier i32) (param $rotation i32) (param $mask i32)
    (local $bytes i32) (local $end i32) (local $src i32) (local $j i32) (local $u i32) (local $last i32)
    (local.set $bytes (i32.shl (local.get $unit) (i32.const 1)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 1))))
    (block $done
      (loop $units
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $src
          (i32.add (local.get $table)
            (i32.mul (local.get $bytes) (i32.and (i32.add (i32.mul (local.get $multiplier) (local.get $u)) (local.get $rotation)) (local.get $mask)))))
        (if (i32.le_u (i32.add (local.get $dst) (local.get $bytes)) (local.get $end))
          (then
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (if (i32.eq (local.get $bytes) (i32.const 32))
              (then (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))))
          (else
            (local.set $last (i32.sub (local.get $end) (local.get $dst)))
            (local.set $j (i32.const 0))
            (loop $pixels
              (i32.store16 (i32.add (local.get $dst) (local.get $j)) (i32.load16_u (i32.add (local.get $src) (local.get $j))))
              (local.set $j (i32.add (local.get $j) (i32.const 2)))
              (br_if $pixels (i32.lt_u (local.get $j) (local.get $last))))))
        (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $units))))

  ;; noise16: `count` pixels at dst, dst + 2, ...: levels[k] + scales[k] * noise[k] in float32,
  ;; truncated and saturated to 0..65535 (levels, scales: float32 per pixel), eight at a time.
  (func (export "noise16") (param $dst i32) (param $count i32) (param $levels i32) (param $scales i32) (param $noise i32)
    (local $s v128) (local $low v128) (local $high v128) (local $end i32) (local $v i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 1))))
    (block $eights
      (loop $eight
        (br_if $eights (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (local.set $s (v128.load (local.get $noise)))
        (local.set $low
          (i32x4.trunc_sat_f32x4_s
            (f32x4.add (v128.load (local.get $levels))
              (f32x4.mul (v128.load (local.get $scales)) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $s)))))))
        (local.set $high
          (i32x4.trunc_sat_f32x4_s
            (f32x4.add (v128.load offset=16 (local.get $levels))
              (f32x4.mul (v128.load offset=16 (local.get $scales)) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $s)))))))
        (v128.store (local.get $dst) (i16x8.narrow_i32x4_u (local.get $low) (local.get $high)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $noise (i32.add (local.get $noise) (i32.const 16)))
        (local.set $levels (i32.add (local.get $levels) (i32.const 32)))
        (local.set $scales (i32.add (local.get $scales) (i32.const 32)))
        (br $eight)))
    ;; The last pixels of a row that is not a whole number of eights, one at a time, the same way.
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $v
          (i32.trunc_sat_f32_s
            (f32.add (f32.load (local.get $levels))
              (f32.mul (f32.load (local.get $scales)) (f32.convert_i32_s (i32.load16_s (local.get $noise)))))))
        (i32.store16 (local.get $dst) (call $saturate16 (local.get $v)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (local.set $noise (i32.add (local.get $noise) (i32.const 2)))
        (local.set $levels (i32.add (local.get $levels) (i32.const 4)))
        (local.set $scales (i32.add (local.get $scales) (i32.const 4)))
        (br $one))))

  (func $saturate16 (param $x i32) (result i32)
    (select (i32.const 0)
      (select (i32.const 65535) (local.get $x) (i32.gt_s (local.get $x) (i32.const 65535)))
      (i32.lt_s (local.get $x) (i32.const 0))))

  ;; lit16: `count` lit pixels at dst, dst + 2, ..., row pixels k = first, first + 1, ...: level +
  ;; signal + sqrt(variance + signal) * deviate * perUnit in float32, where signal = light * rowLight
  ;; + dark; truncated and saturated to 0..65535, four at a time. Per pixel, from its own address:
  ;; light (float32) and deviate (int16); per amp, from `patterns`: rowLight, level and variance
  ;; (float32), pixel k's at 4 (k mod period) of each pattern, the patterns 8 period bytes apart,
  ;; each written out twice so that four in a row can be read from any place in its first period.
  (func (export "lit16")
    (param $dst i32) (param $count i32) (param $first i32) (param $light i32) (param $deviates i32)
    (param $patterns i32) (param $period i32) (param $dark f32) (param $perUnit f32)
    (local $end i32) (local $j i32) (local $at i32) (local $gap i32) (local $signal v128) (local $v v128) (local $x f32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 1))))
    (local.set $j (i32.rem_u (local.get $first) (local.get $period)))
    (local.set $gap (i32.shl (local.get $period) (i32.const 3)))
    (block $fours
      (loop $four
        (br_if $fours (i32.gt_u (i32.add (local.get $dst) (i32.const 8)) (local.get $end)))
        (local.set $at (i32.add (local.get $patterns) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $signal
          (f32x4.add (f32x4.mul (v128.load (local.get $light)) (v128.load (local.get $at))) (f32x4.splat (local.get $dark))))
        (local.set $v
          (f32x4.add
            (f32x4.add (v128.load (i32.add (local.get $at) (local.get $gap))) (local.get $signal))
            (f32x4.mul
              (f32x4.sqrt (f32x4.add (v128.load (i32.add (local.get $at) (i32.shl (local.get $gap) (i32.const 1)))) (local.get $signal)))
              (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (v128.load64_zero (local.get $deviates)))) (f32x4.splat (local.get $perUnit))))))
        (local.set $v (i32x4.trunc_sat_f32x4_s (local.get $v)))
        (v128.store64_lane 0 (local.get $dst) (i16x8.narrow_i32x4_u (local.get $v) (local.get $v)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $light (i32.add (local.get $light) (i32.const 16)))
        (local.set $deviates (i32.add (local.get $deviates) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (if (i32.ge_u (local.get $j) (local.get $period)) (then (local.set $j (i32.sub (local.get $j) (local.get $period)))))
        (br $four)))
    ;; The last pixels, one at a time, the same way.
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $at (i32.add (local.get $patterns) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $x (f32.add (f32.mul (f32.load (local.get $light)) (f32.load (local.get $at))) (local.get $dark)))
        (i32.store16 (local.get $dst)
          (call $saturate16
            (i32.trunc_sat_f32_s
              (f32.add
                (f32.add (f32.load (i32.add (local.get $at) (local.get $gap))) (local.get $x))
                (f32.mul
                  (f32.sqrt (f32.add (f32.load (i32.add (local.get $at) (i32.shl (local.get $gap) (i32.const 1)))) (local.get $x)))
                  (f32.mul (f32.convert_i32_s (i32.load16_s (local.get $deviates))) (local.get $perUnit)))))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (local.set $light (i32.add (local.get $light) (i32.const 4)))
        (local.set $deviates (i32.add (local.get $deviates) (i32.const 2)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.ge_u (local.get $j) (local.get $period)) (then (local.set $j (i32.sub (local.get $j) (local.get $period)))))
        (br $one))))
)
