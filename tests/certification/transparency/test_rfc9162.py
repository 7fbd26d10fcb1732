"""The Merkle tree against the test vectors of RFC 6962/9162's reference implementations (Certificate
Transparency's merkle_tree_test, the same eight leaves), and every proof of small trees checked both ways."""

import pytest

from certification.transparency import rfc9162

LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip


def build(leaves):
    store = {}

    def lookup(subtrees):
        return {subtree: store[subtree] for subtree in subtrees}

    for index, leaf in enumerate(leaves):
        store.update(rfc9162.new_subtrees(index, rfc9162.leaf_hash(leaf), lookup))
    return lookup


def test_empty_tree_and_roots_of_every_size():
    assert rfc9162.root_hash(0, build([])).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    for size, expected in enumerate(ROOTS, start=1):
        assert rfc9162.root_hash(size, build(LEAVES[:size])).hex() == expected


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_vectors(index, size, path):
    lookup = build(LEAVES)
    proof = rfc9162.inclusion_proof(index, size, lookup)
    assert [value.hex() for value in proof] == path
    root = bytes.fromhex(ROOTS[size - 1])
    assert rfc9162.verify_inclusion(rfc9162.leaf_hash(LEAVES[index]), index, size, proof, root)


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_vectors(first, second, path):
    proof = rfc9162.consistency_proof(first, second, build(LEAVES))
    assert [value.hex() for value in proof] == path
    assert rfc9162.verify_consistency(
        first, second, bytes.fromhex(ROOTS[first - 1]), bytes.fromhex(ROOTS[second - 1]), proof
    )


def test_every_proof_of_trees_up_to_40_leaves_verifies_and_no_altered_one_does():
    leaves = [f"entry {index}".encode() for index in range(40)]
    lookup = build(leaves)
    for size in range(1, 41):
        root = rfc9162.root_hash(size, lookup)
        for index in range(size):
            proof = rfc9162.inclusion_proof(index, size, lookup)
            leaf = rfc9162.leaf_hash(leaves[index])
            assert rfc9162.verify_inclusion(leaf, index, size, proof, root)
            assert not rfc9162.verify_inclusion(rfc9162.leaf_hash(b"forged"), index, size, proof, root)
            if size > 1:
                assert not rfc9162.verify_inclusion(leaf, (index + 1) % size, size, proof, root)
                broken = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
                assert not rfc9162.verify_inclusion(leaf, index, size, broken, root)
        for first in range(1, size + 1):
            proof = rfc9162.consistency_proof(first, size, lookup)
            first_root = rfc9162.root_hash(first, lookup)
            assert rfc9162.verify_consistency(first, size, first_root, root, proof)
            if first < size:
                assert not rfc9162.verify_consistency(first, size, rfc9162.leaf_hash(b"other"), root, proof)
                assert not rfc9162.verify_consistency(first, size, first_root, root, proof[:-1])


def test_a_leaf_and_a_node_never_hash_alike():
    # The 0x00/0x01 prefixes: a 64-byte leaf equal to two child hashes is not the node over them.
    left, right = rfc9162.leaf_hash(b"a"), rfc9162.leaf_hash(b"b")
    assert rfc9162.leaf_hash(left + right) != rfc9162.node_hash(left, right)


def test_proofs_outside_the_tree_are_refused():
    lookup = build(LEAVES)
    with pytest.raises(ValueError):
        rfc9162.inclusion_proof(8, 8, lookup)
    with pytest.raises(ValueError):
        rfc9162.consistency_proof(0, 8, lookup)
    with pytest.raises(ValueError):
        rfc9162.consistency_proof(5, 4, lookup)
    assert not rfc9162.verify_inclusion(rfc9162.leaf_hash(b""), 8, 8, [], bytes.fromhex(ROOTS[7]))
