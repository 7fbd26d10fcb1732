"""Merkle tree hashing and proofs exactly as RFC 9162 §2.1 defines them (standard library only).

The tree over n leaves is addressed by *perfect subtrees*: ``(level, index)`` is the hash over leaves
``index * 2**level`` to ``(index + 1) * 2**level - 1``. Every hash an RFC 9162 proof needs is a perfect subtree
or the hash of the tree's right edge, which is itself made of perfect subtrees, so a log that stores its perfect
subtrees (about 2n hashes) answers any proof with O(log n) stored hashes and no recomputation.
"""

import hashlib
from collections.abc import Callable, Iterable

Subtree = tuple[int, int]
Lookup = Callable[[Iterable[Subtree]], dict[Subtree, bytes]]


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def empty_root() -> bytes:
    return hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def range_subtrees(start: int, end: int) -> list[Subtree]:
    """The perfect subtrees whose hashes make MTH(D[start:end]), left to right (start aligned as RFC 9162 splits)."""
    size = end - start
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return [(level, start >> level)]
    k = _split(size)
    return range_subtrees(start, start + k) + range_subtrees(start + k, end)


def _range_hash(start: int, end: int, hashes: dict[Subtree, bytes]) -> bytes:
    size = end - start
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return hashes[(level, start >> level)]
    k = _split(size)
    return node_hash(_range_hash(start, start + k, hashes), _range_hash(start + k, end, hashes))


def _inclusion_ranges(m: int, start: int, end: int) -> list[tuple[int, int]]:
    """PATH(m, D[start:end]) of RFC 9162 §2.1.3.1, as the ranges whose hashes it lists, leaf side first."""
    if end - start == 1:
        return []
    k = _split(end - start)
    if m < start + k:
        return _inclusion_ranges(m, start, start + k) + [(start + k, end)]
    return _inclusion_ranges(m, start + k, end) + [(start, start + k)]


def _consistency_ranges(m: int, start: int, end: int, whole: bool) -> list[tuple[int, int]]:
    """SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1, as ranges; m counts from ``start``."""
    n = end - start
    if m == n:
        return [] if whole else [(start, end)]
    k = _split(n)
    if m <= k:
        return _consistency_ranges(m, start, start + k, whole) + [(start + k, end)]
    return _consistency_ranges(m - k, start + k, end, False) + [(start, start + k)]


def _hashes_of(ranges: list[tuple[int, int]], lookup: Lookup) -> list[bytes]:
    needed = {subtree for start, end in ranges for subtree in range_subtrees(start, end)}
    hashes = lookup(needed)
    return [_range_hash(start, end, hashes) for start, end in ranges]


def root_hash(size: int, lookup: Lookup) -> bytes:
    if size == 0:
        return empty_root()
    return _hashes_of([(0, size)], lookup)[0]


def inclusion_proof(index: int, size: int, lookup: Lookup) -> list[bytes]:
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return _hashes_of(_inclusion_ranges(index, 0, size), lookup)


def consistency_proof(first: int, second: int, lookup: Lookup) -> list[bytes]:
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    return _hashes_of(_consistency_ranges(first, 0, second, True), lookup)


def new_subtrees(index: int, leaf: bytes, lookup: Lookup) -> dict[Subtree, bytes]:
    """The perfect subtrees completed by appending ``leaf`` as leaf ``index``: the leaf and each parent it closes."""
    levels = (~index & (index + 1)).bit_length() - 1  # how many trailing one bits: parents closed by this leaf
    siblings = lookup({(level, (index >> level) - 1) for level in range(levels)})
    created = {(0, index): leaf}
    current = leaf
    for level in range(levels):
        current = node_hash(siblings[(level, (index >> level) - 1)], current)
        created[(level + 1, index >> (level + 1))] = current
    return created


def verify_inclusion(entry_hash: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, entry_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root
