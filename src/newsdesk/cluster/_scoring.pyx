# cython: language_level=3
"""The clusterer's busiest loops in C (``cluster.scoring``, whose Python versions they
replace: the same operations in the same order, so the same floats).

``posting_scores``: an article's dot products with the active stories' centroids, summed
over the stories' postings. In Python each posting entry costs a dictionary update of a
boxed float (the whole of ``_score`` took 1.2-1.6 s of CPU for the 1.24 million entries
that 961 full-text articles met; 23.5 million entries for 9,601 articles of a stream of
10,000). Here the sums are C doubles in slots found through one dictionary, and Python
objects are made only for the answer.

``core_terms``: the heaviest terms of an article's vector and of each story's centroid it
is compared with, a partial sort of C doubles (about 450 terms an article at 10,000).

``centroid_dot``: two stories' centroids compared before a merge (1.3 million shared
terms in a stream of 10,000).

``add_to_centroid``: an article's vector added to its story's centroid and to the
postings, and the growth of the centroid's length worked out on the way.

``IdfTable``: a term's IDF worked out on its first look-up after each document, without a
Python frame (about 400 a full-text article: its terms, and the cores of the stories it
is compared with).
"""

from cpython.dict cimport PyDict_GetItem, PyDict_Next
from cpython.float cimport PyFloat_AsDouble
from cpython.ref cimport PyObject
from libc.math cimport log, pow
from libc.stdlib cimport free, malloc, qsort, realloc

cdef extern from *:
    """
    /* setup.py defines it: the SHA-256 of this file as compiled */
    #ifndef ND_SOURCE_DIGEST
    #define ND_SOURCE_DIGEST ""
    #endif
    """
    const char *ND_SOURCE_DIGEST

# The SHA-256 of the source this module was compiled from (empty where setup.py did not).
SOURCE_DIGEST = ND_SOURCE_DIGEST.decode("ascii")


cdef struct Sums:
    double dot
    double key_dot
    Py_ssize_t shared
    Py_ssize_t key_shared


def posting_scores(
    dict weighted, dict idfs, dict postings, dict active, Py_ssize_t need, keyed
):
    """See ``cluster.scoring.python_posting_scores``."""
    cdef dict slots = {}
    cdef list sids = []
    cdef Sums *sums = NULL
    cdef Sums *grown
    cdef Py_ssize_t count = 0, room = 0, position, slot, i
    cdef PyObject *found
    cdef PyObject *sid
    cdef PyObject *held
    cdef double weight, product, norm
    cdef bint is_keyed
    cdef dict posting
    cdef dict candidates = {}
    cdef list keys = []
    try:
        for term, term_weight in weighted.items():
            found = PyDict_GetItem(postings, term)
            if found == NULL:
                continue
            posting = <dict> found
            weight = PyFloat_AsDouble(term_weight) * PyFloat_AsDouble(idfs[term])
            is_keyed = term in keyed
            position = 0
            while PyDict_Next(posting, &position, &sid, &held):
                found = PyDict_GetItem(slots, <object> sid)
                if found == NULL:
                    if count == room:
                        room = 2 * room + 64
                        grown = <Sums *> realloc(sums, room * sizeof(Sums))
                        if grown == NULL:
                            raise MemoryError()
                        sums = grown
                    slot = count
                    count += 1
                    slots[<object> sid] = slot
                    sids.append(<object> sid)
                    sums[slot].dot = 0.0
                    sums[slot].key_dot = 0.0
                    sums[slot].shared = 0
                    sums[slot].key_shared = 0
                else:
                    slot = <object> found
                product = weight * PyFloat_AsDouble(<object> held)
                sums[slot].dot += product
                sums[slot].shared += 1
                if is_keyed:
                    sums[slot].key_dot += product
                    sums[slot].key_shared += 1
        for i in range(count):
            story_id = sids[i]
            norm = active[story_id].norm
            if norm and sums[i].shared >= need:
                candidates[story_id] = sums[i].dot / norm
            if sums[i].key_shared:
                keys.append((story_id, sums[i].key_dot, sums[i].key_shared))
        return candidates, keys
    finally:
        free(sums)


cdef struct Weighed:
    double weight
    Py_ssize_t index


cdef int _heavier_first(const void *a, const void *b) noexcept nogil:
    """Heavier first, then the earlier: the order of ``heapq.nlargest`` (a stable sort)."""
    cdef const Weighed *x = <const Weighed *> a
    cdef const Weighed *y = <const Weighed *> b
    if x.weight > y.weight:
        return -1
    if x.weight < y.weight:
        return 1
    return -1 if x.index < y.index else (1 if x.index > y.index else 0)


def core_terms(dict vector, idf, Py_ssize_t count, str key_prefix):
    """See ``cluster.scoring.python_core_terms``."""
    cdef list words = [term for term in vector if not term.startswith(key_prefix)]
    cdef Py_ssize_t size = len(words), i
    if size <= count:
        return set(words)
    cdef Weighed *weighed = <Weighed *> malloc(size * sizeof(Weighed))
    if weighed == NULL:
        raise MemoryError()
    try:
        for i in range(size):
            term = words[i]
            # ``idf[term]``: the table's look-up, which works out a term it has not seen
            weighed[i].weight = PyFloat_AsDouble(vector[term]) * PyFloat_AsDouble(idf[term])
            weighed[i].index = i
        qsort(weighed, size, sizeof(Weighed), _heavier_first)
        return {words[weighed[i].index] for i in range(count)}
    finally:
        free(weighed)


def add_to_centroid(dict centroid, dict postings, story_id, dict vector, idf, bint grow=True):
    """See ``cluster.scoring.python_add_to_centroid``."""
    cdef double grown = 0.0, held_value, weight_value
    cdef PyObject *found
    cdef dict posting
    for term, weight in (vector.items() if grow else ()):
        found = PyDict_GetItem(centroid, term)
        held_value = PyFloat_AsDouble(<object> found) if found != NULL else 0.0
        weight_value = PyFloat_AsDouble(weight)
        # ``** 2`` as Python's float power computes it: the C library's pow
        grown += (pow(held_value + weight_value, 2.0) - pow(held_value, 2.0)) * pow(
            PyFloat_AsDouble(idf[term]), 2.0
        )
    for term, weight in vector.items():
        found = PyDict_GetItem(centroid, term)
        held = (PyFloat_AsDouble(<object> found) if found != NULL else 0.0) + PyFloat_AsDouble(
            weight
        )
        centroid[term] = held
        found = PyDict_GetItem(postings, term)
        if found == NULL:
            posting = {}
            postings[term] = posting
        else:
            posting = <dict> found
        posting[story_id] = held
    return grown


def centroid_dot(dict small, dict large, idf):
    """See ``cluster.scoring.python_centroid_dot``."""
    cdef double dot = 0.0
    cdef PyObject *held
    for term, weight in small.items():
        held = PyDict_GetItem(large, term)
        if held != NULL:
            # ``** 2`` as Python's float power computes it: the C library's pow
            dot += PyFloat_AsDouble(weight) * PyFloat_AsDouble(<object> held) * pow(
                PyFloat_AsDouble(idf[term]), 2.0
            )
    return dot


cdef class IdfTable(dict):
    """See ``cluster.scoring.PythonIdfTable``."""

    cdef readonly object features

    def __init__(self, features):
        super().__init__()
        self.features = features

    def __missing__(self, term):
        cdef object f = self.features
        cdef object df = f.df.get(term, 0)
        cdef object pseudo = f.pseudo.get(term, 1.0)
        # Python's arithmetic on its own numbers, as PythonIdfTable does: the documents
        # are counted as integers, and ``int / float`` divides in doubles.
        cdef double value = log((1 + f.documents + f.prior_documents) / (df + pseudo)) + 1.0
        self[term] = value
        return value
