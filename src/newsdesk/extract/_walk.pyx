# cython: language_level=3
"""What extraction does over every node of a page, in C: dom.segment's walk (the same
blocks, elements and links, without a Python object per node), which attribute words
that a CSS query looks for are on the page (``attribute_words``), the count of "<"
that guards the parser (``count_byte``), the page's bytes without the text of its
scripts and styles, which the parser would read for nothing (``without_script_text``),
and whether its bytes are UTF-8, without decoding them (``utf8_read``).

The Python walk (dom.py) asks selectolax for every node's tag, attributes and neighbours,
and each answer is a new Python object: about 1.4 µs a node, most of the walk's time. Here
the walk reads lexbor's nodes directly, through the pointer selectolax hands out
(``LexborNode.mem_id``), and makes Python objects only for what it keeps: text, the
attributes the rules read, the elements and blocks.

lexbor's structures are declared below as the lexbor that selectolax 1.0.2 bundles lays
them out (no header ships with selectolax's wheel). ``dom.py`` uses this walk only for
that selectolax version, and only after it read a probe page exactly as the Python walk
does (``dom._set_up_compiled_walk``); the rules (which tags are blocks, which classes
hide) stay in ``dom.py``.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DecodeUTF8
from libc.stdint cimport uint64_t, uintptr_t
from cpython.bytes cimport PyBytes_FromStringAndSize
from libc.string cimport memcmp

cdef extern from *:
    """
    /* lexbor 2.x (selectolax 1.0.2): dom/interfaces/node.h, attr.h, element.h,
       character_data.h; core/str.h, core/hash.h. Only leading fields are read. */
    typedef struct nd_str { unsigned char *data; size_t length; } nd_str;
    typedef struct nd_node {
        void *events;
        uintptr_t local_name;
        uintptr_t prefix;
        uintptr_t ns;
        void *owner_document;
        struct nd_node *next;
        struct nd_node *prev;
        struct nd_node *parent;
        struct nd_node *first_child;
        struct nd_node *last_child;
        void *user;
        int type;
    } nd_node;
    typedef struct nd_attr {
        nd_node node;
        uintptr_t upper_name;
        uintptr_t qualified_name;
        nd_str *value;
        void *owner;
        struct nd_attr *next;
        struct nd_attr *prev;
    } nd_attr;
    typedef struct nd_element {
        nd_node node;
        uintptr_t upper_name;
        uintptr_t qualified_name;
        nd_str *is_value;
        nd_attr *first_attr;
        nd_attr *last_attr;
    } nd_element;
    typedef struct nd_text { nd_node node; nd_str data; } nd_text;
    /* A name that is not one of lexbor's own is an id that points to its hash entry. */
    typedef struct nd_hash_entry {
        union { unsigned char *long_str; unsigned char short_str[17]; } u;
        size_t length;
    } nd_hash_entry;
    #define ND_HASH_SHORT_SIZE 16
    #define ND_ELEMENT 1
    /* setup.py defines it: the SHA-256 of this file as compiled */
    #ifndef ND_SOURCE_DIGEST
    #define ND_SOURCE_DIGEST ""
    #endif

    /* Whether UTF-8 text holds a character from U+3000 up (lead byte 0xE3 or more): text
       without one holds no CJK, and its block's weight is its length. */
    static int nd_has_wide(const unsigned char *p, size_t n) {
        unsigned char top = 0;
        for (size_t i = 0; i < n; i++)
            top |= p[i] >= 0xE3;
        return top;
    }

    /* Which of up to 64 lower-case ASCII words h[0:n] holds, ASCII case ignored (as a
       CSS attribute selector's "i" flag compares), beyond those in ``found``: one pass,
       where ``first`` gives, for each lower-case byte, the words that start with it. */
    static uint64_t nd_words_in(const unsigned char *h, size_t n, const unsigned char **words,
                                const size_t *lengths, const uint64_t *first, uint64_t found) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i];
            uint64_t maybe = first[c] & ~found;
            while (maybe) {
                int k = __builtin_ctzll(maybe);
                maybe &= maybe - 1;
                size_t m = lengths[k], j = 1;
                if (i + m > n)
                    continue;
                while (j < m && (h[i + j] >= 'A' && h[i + j] <= 'Z' ? h[i + j] + 32 : h[i + j]) == words[k][j])
                    j++;
                if (j == m)
                    found |= (uint64_t) 1 << k;
            }
        }
        return found;
    }

    /* Occurrences of one byte, counted 16 lanes at a time in byte counters that cannot
       overflow within 255 rounds: the compiler makes vector compares of the inner loop. */
    static size_t nd_count_byte(const unsigned char *p, size_t n, unsigned char b) {
        size_t count = 0;
        while (n >= 16) {
            size_t block = n < 4080 ? (n & ~(size_t) 15) : 4080;
            unsigned char lanes[16] = {0};
            for (size_t i = 0; i < block; i += 16)
                for (int j = 0; j < 16; j++)
                    lanes[j] += p[i + j] == b;
            for (int j = 0; j < 16; j++)
                count += lanes[j];
            p += block;
            n -= block;
        }
        for (; n; n--, p++)
            count += *p == b;
        return count;
    }

    /* ---- Script and style text, found as the HTML tokenizer reads a page ---- */
    static int nd_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
    static int nd_space(unsigned char c) {
        return c == ' ' || c == '\\t' || c == '\\n' || c == '\\f' || c == '\\r';
    }
    /* Whether p[0:n] is the lower-case ASCII word w, ASCII case ignored. */
    static int nd_is(const unsigned char *p, size_t n, const char *w) {
        size_t i = 0;
        for (; i < n && w[i]; i++)
            if ((p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]) != (unsigned char) w[i])
                return 0;
        return i == n && !w[i];
    }
    /* Whether p[0:n] holds the lower-case ASCII word w, ASCII case ignored. */
    static int nd_holds(const unsigned char *p, size_t n, const char *w) {
        size_t m = strlen(w);
        for (size_t i = 0; i + m <= n; i++)
            if (nd_is(p + i, m, w))
                return 1;
        return 0;
    }
    /* The first end tag "</name" (the name ASCII case ignored, then a space, "/" or ">")
       at or after p: where the text of a raw-text element ends. NULL: none. */
    static const unsigned char *nd_end_tag(const unsigned char *p, const unsigned char *end,
                                           const char *name) {
        size_t m = strlen(name);
        while ((p = memchr(p, '<', end - p)) != NULL) {
            if ((size_t) (end - p) > m + 2 && p[1] == '/' && nd_is(p + 2, m, name)
                && (nd_space(p[2 + m]) || p[2 + m] == '/' || p[2 + m] == '>'))
                return p;
            p++;
        }
        return NULL;
    }
    /* From just after a tag's name to just after its ">", reading its attributes (quoted
       values may hold ">"); *json_ld is set where a "type" value holds "ld+json". NULL:
       the page ends inside the tag. */
    static const unsigned char *nd_tag_end(const unsigned char *p, const unsigned char *end,
                                           int *json_ld) {
        while (p < end) {
            while (p < end && (nd_space(*p) || *p == '/'))
                p++;
            if (p >= end)
                return NULL;
            if (*p == '>')
                return p + 1;
            const unsigned char *name = p++;  /* a name may start with "=" */
            while (p < end && !nd_space(*p) && *p != '/' && *p != '>' && *p != '=')
                p++;
            size_t name_length = p - name;
            while (p < end && nd_space(*p))
                p++;
            if (p >= end || *p != '=')
                continue;
            p++;
            while (p < end && nd_space(*p))
                p++;
            if (p >= end)
                return NULL;
            const unsigned char *value = p, *value_end;
            if (*p == '"' || *p == '\\'') {
                value = p + 1;
                value_end = memchr(value, *p, end - value);
                if (value_end == NULL)
                    return NULL;
                p = value_end + 1;
            } else {
                while (p < end && !nd_space(*p) && *p != '>')
                    p++;
                value_end = p;
            }
            if (json_ld && nd_is(name, name_length, "type")
                && nd_holds(value, value_end - value, "ld+json"))
                *json_ld = 1;
        }
        return NULL;
    }
    /* The page's bytes into out (as long as the page) without the text of its scripts
       (JSON-LD kept) and styles, their tags kept: the length written, or -1 where there
       is none to leave out, or where the tokenizer's escaped script states ("<!--" and
       then "<script" in a script) could end a script elsewhere (the page is parsed as it
       is then). Read as the tokenizer reads a page: comments, doctypes, tags with their
       quoted attributes, and the text of raw-text elements are stepped over; SVG and
       MathML, whose scripts and styles hold markup, are left as they are. */
    static Py_ssize_t nd_without_script_text(const unsigned char *s, size_t n, unsigned char *out) {
        static const char *raw[] = {"title", "textarea", "iframe", "noembed", "noframes",
                                    "noscript", "xmp", "svg", "math", NULL};
        const unsigned char *p = s, *end = s + n, *copied = s, *q;
        unsigned char *o = out;
        while ((q = memchr(p, '<', end - p)) != NULL) {
            p = q + 1;
            if (p >= end)
                break;
            if (*p == '!' || *p == '?' || (*p == '/' && !(p + 1 < end && nd_alpha(p[1])))) {
                if (*p == '!' && end - p >= 3 && p[1] == '-' && p[2] == '-') {
                    q = p + 3;  /* a comment: "<!-->" and "<!--->" end at once */
                    if (q < end && *q == '>') { p = q + 1; continue; }
                    if (end - q >= 2 && q[0] == '-' && q[1] == '>') { p = q + 2; continue; }
                    const unsigned char *closed = NULL;
                    while ((q = memchr(q, '-', end - q)) != NULL) {
                        if (end - q >= 3 && q[1] == '-' && q[2] == '>') { closed = q + 3; break; }
                        if (end - q >= 4 && q[1] == '-' && q[2] == '!' && q[3] == '>') { closed = q + 4; break; }
                        q++;
                    }
                    if (closed == NULL)
                        break;
                    p = closed;
                    continue;
                }
                /* a doctype, a CDATA section or a bogus comment ("</>" is nothing) */
                q = memchr(p, '>', end - p);
                if (q == NULL)
                    break;
                p = q + 1;
                continue;
            }
            int closing = *p == '/';
            const unsigned char *name = p + closing;
            if (!nd_alpha(*name))
                continue;  /* "<" as text */
            p = name;
            while (p < end && !nd_space(*p) && *p != '/' && *p != '>')
                p++;
            size_t length = p - name;
            int json_ld = 0;
            p = nd_tag_end(p, end, &json_ld);
            if (p == NULL)
                break;
            if (closing || length < 3 || length > 9 || !strchr("pstinxmPSTINXM", *name))
                continue;  /* none of the names below: most tags, told at a glance */
            if (nd_is(name, length, "plaintext"))
                break;
            int script = nd_is(name, length, "script"), style = nd_is(name, length, "style");
            const char *other = NULL;
            for (int k = 0; !script && !style && raw[k]; k++)
                if (nd_is(name, length, raw[k]))
                    other = raw[k];
            if (!script && !style && other == NULL)
                continue;
            q = nd_end_tag(p, end, script ? "script" : style ? "style" : other);
            if (q == NULL)
                break;
            if (script) {
                /* the first "<!--" decides: "<script" after it, the page is left as it is */
                const unsigned char *escape = p;
                while ((escape = memchr(escape, '<', q - escape)) != NULL) {
                    if (q - escape >= 4 && escape[1] == '!' && escape[2] == '-' && escape[3] == '-') {
                        if (nd_holds(escape, q - escape, "<script"))
                            return -1;
                        break;
                    }
                    escape++;
                }
            }
            if ((script && !json_ld) || style) {
                memcpy(o, copied, p - copied);
                o += p - copied;
                copied = q;
            }
            p = q;
        }
        if (copied == s)
            return -1;
        memcpy(o, copied, end - copied);
        o += end - copied;
        return o - out;
    }

    /* Whether s[0:n] is UTF-8 as Python's strict decoder takes it (Unicode's table 3-7:
       no overlong forms, no surrogates, nothing past U+10FFFF). Among its first `limit`
       characters (*counted of them), *controls: the control characters no text holds
       (U+0000-0008, U+000B, U+000E-001F) and U+FFFD. Runs of ASCII go 8 bytes at a time. */
    static int nd_utf8_read(const unsigned char *s, size_t n, size_t limit,
                            size_t *controls, size_t *counted) {
        size_t i = 0, chars = 0, found = 0;
        uint64_t w;
        while (i < n) {
            /* 8 bytes of ASCII at once: past the counted characters any, before them
               printable ones (0x20-0x7F: no control character among them) */
            while (i + 8 <= n) {
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                if (chars < limit) {
                    if (((w - 0x2020202020202020ULL) & 0x8080808080808080ULL) || chars + 8 > limit)
                        break;
                    chars += 8;
                }
                i += 8;
            }
            if (i >= n)
                break;
            unsigned char c = s[i], d;
            if (c < 0x80) {
                if (chars < limit) {
                    chars++;
                    found += c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0C && c != 0x0D;
                }
                i++;
                continue;
            }
            if (c >= 0xC2 && c <= 0xDF) {
                if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
                    return 0;
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (i + 2 >= n)
                    return 0;
                d = s[i + 1];
                if (c == 0xE0 ? (d < 0xA0 || d > 0xBF) : c == 0xED ? (d < 0x80 || d > 0x9F)
                                                                   : (d & 0xC0) != 0x80)
                    return 0;
                if ((s[i + 2] & 0xC0) != 0x80)
                    return 0;
                if (chars < limit)
                    found += c == 0xEF && d == 0xBF && s[i + 2] == 0xBD;  /* U+FFFD */
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 >= n)
                    return 0;
                d = s[i + 1];
                if (c == 0xF0 ? (d < 0x90 || d > 0xBF) : c == 0xF4 ? (d < 0x80 || d > 0x8F)
                                                                   : (d & 0xC0) != 0x80)
                    return 0;
                if ((s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
                    return 0;
                i += 4;
            } else {
                return 0;
            }
            if (chars < limit)
                chars++;
        }
        *controls = found;
        *counted = chars;
        return 1;
    }

    /* Class-word rules (dom.py's lists): a word, and what its edges must be. Left: 0
       anywhere, 1 where a word starts (a regular expression's \\b), 2 at the text's start,
       3 where a CSS class name starts (after the start or a space: ``nd_space``).
       Right: 0 anything, 1 where a word ends (\\b), 3 where a CSS class name ends. A rule
       may also want the word not followed by ``unless``, or followed, after letters,
       digits, "_" and "-", by ``then``. ASCII text only (a word character is a letter, a
       digit or "_", as \\b reads ASCII). */
    typedef struct nd_class_rule {
        const unsigned char *word; size_t length; int bit; int left; int right;
        const unsigned char *unless; size_t unless_length;
        const unsigned char *then; size_t then_length;
    } nd_class_rule;

    static int nd_word_char(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || c == '_';
    }

    static int nd_rule_at(const unsigned char *t, size_t n, size_t i, const nd_class_rule *r) {
        size_t m = r->length, j = i + m;
        if (j > n || memcmp(t + i, r->word, m) != 0)
            return 0;
        if (r->left == 1 && (i > 0 && nd_word_char(t[i - 1])) == nd_word_char(t[i]))
            return 0;
        if (r->left == 2 && i != 0)
            return 0;
        if (r->left == 3 && i > 0 && !nd_space(t[i - 1]))
            return 0;
        if (r->right == 1 && nd_word_char(t[j - 1]) == (j < n && nd_word_char(t[j])))
            return 0;
        if (r->right == 3 && j < n && !nd_space(t[j]))
            return 0;
        if (r->unless_length && j + r->unless_length <= n
            && memcmp(t + j, r->unless, r->unless_length) == 0)
            return 0;
        if (r->then_length) {
            for (size_t k = j; ; k++) {
                if (k + r->then_length <= n && memcmp(t + k, r->then, r->then_length) == 0)
                    return 1;
                if (k >= n || !(nd_word_char(t[k]) || t[k] == '-'))
                    return 0;
            }
        }
        return 1;
    }

    /* The bits of the rules found in t: at each position, the rules whose word starts
       with its byte (``first``: the first such rule, ``next``: the one after it). */
    static int nd_class_flags(const unsigned char *t, size_t n, const nd_class_rule *rules,
                              const int *first, const int *next) {
        int flags = 0;
        for (size_t i = 0; i < n; i++)
            for (int k = first[t[i]]; k >= 0; k = next[k])
                if (!(flags & rules[k].bit) && nd_rule_at(t, n, i, &rules[k]))
                    flags |= rules[k].bit;
        return flags;
    }

    /* The bits of every class word in s (split at ASCII whitespace, as str.split() does),
       each read lower-cased and without its digits ("Post-12345" as "post-"), into
       ``buffer`` (n bytes). */
    static int nd_names_flags(const unsigned char *s, size_t n, unsigned char *buffer,
                              const nd_class_rule *rules, const int *first, const int *next) {
        int flags = 0;
        size_t i = 0;
        while (i < n) {
            size_t m = 0;
            for (; i < n; i++) {
                unsigned char c = s[i];
                if (c == ' ' || (c >= '\\t' && c <= '\\r') || (c >= 0x1c && c <= 0x1f))
                    break;
                if (c >= '0' && c <= '9')
                    continue;
                buffer[m++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
            }
            flags |= nd_class_flags(buffer, m, rules, first, next);
            i++;
        }
        return flags;
    }
    """
    ctypedef struct nd_str:
        unsigned char *data
        size_t length
    ctypedef struct nd_node:
        uintptr_t local_name
        nd_node *next
        nd_node *parent
        nd_node *first_child
        int type
    ctypedef struct nd_attr:
        nd_node node
        uintptr_t qualified_name
        nd_str *value
        nd_attr *next
    ctypedef struct nd_element:
        nd_node node
        nd_attr *first_attr
    ctypedef struct nd_text:
        nd_node node
        nd_str data
    ctypedef union nd_hash_u:
        unsigned char *long_str
        unsigned char short_str[17]
    ctypedef struct nd_hash_entry:
        nd_hash_u u
        size_t length
    int ND_HASH_SHORT_SIZE
    int ND_ELEMENT
    const char *ND_SOURCE_DIGEST
    size_t nd_count_byte(const unsigned char *p, size_t n, unsigned char b)
    bint nd_has_wide(const unsigned char *p, size_t n)
    uint64_t nd_words_in(const unsigned char *h, size_t n, const unsigned char **words,
                         const size_t *lengths, const uint64_t *first, uint64_t found)
    Py_ssize_t nd_without_script_text(const unsigned char *s, size_t n, unsigned char *out)
    bint nd_utf8_read(const unsigned char *s, size_t n, size_t limit, size_t *controls,
                      size_t *counted)
    ctypedef struct nd_class_rule:
        const unsigned char *word
        size_t length
        int bit
        int left
        int right
        const unsigned char *unless
        size_t unless_length
        const unsigned char *then
        size_t then_length
    int nd_class_flags(const unsigned char *t, size_t n, const nd_class_rule *rules,
                       const int *first, const int *next)
    int nd_names_flags(const unsigned char *s, size_t n, unsigned char *buffer,
                       const nd_class_rule *rules, const int *first, const int *next)

# What the walk does with an element, by tag id (ids of tags lexbor does not know are
# pointers, far above the table: inline, as the Python walk treats unknown tags).
cdef enum:
    TABLE = 1024
    # Ids of attribute names lexbor knows are below this (its table ends at 0x49).
    KNOWN_IDS = 256
    # Ids of names lexbor knows are small numbers; other names' ids are the addresses of
    # their hash entries, never below this.
    LOWEST_ADDRESS = 0x10000

cdef enum Kind:
    INLINE = 0
    SKIP = 1
    LINK = 2
    BREAK = 3
    BLOCK = 4
    HINTLESS_BLOCK = 5  # a block whose class names say nothing (body, html, main)

# The SHA-256 of the source this module was compiled from (empty where setup.py did not).
SOURCE_DIGEST = ND_SOURCE_DIGEST.decode("ascii")

cdef unsigned char kinds[TABLE]
cdef list tag_names = [None] * TABLE
cdef uintptr_t text_id = 0
cdef bint ready = False

# The attributes the rules read: ids learned from a probe page where lexbor knows the
# name (class, id, href, style), else compared by name.
cdef uintptr_t class_id = 0, id_id = 0, href_id = 0, style_id = 0
# dom.py's rules and makers, from compiled._set_up_compiled_walk
cdef object Element_, add_block, classes_hide_cache, remembered_classes_hide
cdef object hidden_by_attributes, finish_cjk
cdef str LINK_EDGE = "\x00"


def tag_id(uintptr_t pointer):
    """The tag id lexbor gave a node (for the probe that learns ids)."""
    return (<nd_node *> pointer).local_name


def attribute_ids(uintptr_t pointer):
    """The ids of an element's attributes, in order (for the probe that learns ids)."""
    cdef nd_attr *attr = (<nd_element *> pointer).first_attr
    ids = []
    while attr is not NULL:
        ids.append(attr.qualified_name if attr.qualified_name else attr.node.local_name)
        attr = attr.next
    return ids


def setup(dict tag_by_id, uintptr_t text, dict attribute_by_name, rules):
    """Take the tag and attribute ids the probe learned, and dom.py's rules: each tag's
    kind is decided here as dom._walk decides it (skipped, a link, a line break, a
    block, else inline)."""
    global text_id, class_id, id_id, href_id, style_id, ready
    global Element_, add_block, classes_hide_cache, remembered_classes_hide
    global hidden_by_attributes, finish_cjk
    cdef int i
    for i in range(TABLE):
        kinds[i] = INLINE
        tag_names[i] = None
    for tag, name in tag_by_id.items():
        if tag >= TABLE:
            raise ValueError(f"tag id {tag} past the table")
        if name in rules["skipped_tags"]:
            kinds[tag] = SKIP
        elif name == "a":
            kinds[tag] = LINK
        elif name == "br":
            kinds[tag] = BREAK
        elif name in rules["block_tags"]:
            kinds[tag] = HINTLESS_BLOCK if name in rules["hintless_tags"] else BLOCK
        tag_names[tag] = name
    text_id = text
    class_id = attribute_by_name.get("class", 0)
    id_id = attribute_by_name.get("id", 0)
    href_id = attribute_by_name.get("href", 0)
    style_id = attribute_by_name.get("style", 0)
    Element_, add_block = rules["Element"], rules["add_block"]
    classes_hide_cache = rules["classes_hide_cache"]
    remembered_classes_hide = rules["remembered_classes_hide"]
    hidden_by_attributes = rules["hidden_by_attributes"]
    finish_cjk = rules["finish_cjk"]
    ready = True


cdef inline str decode(const unsigned char *data, size_t length):
    if data is NULL:
        return None
    return PyUnicode_DecodeUTF8(<const char *> data, length, "replace")


cdef inline const unsigned char *dynamic_name(uintptr_t attribute, size_t *length):
    """The name of an attribute lexbor does not know, from its hash entry."""
    cdef nd_hash_entry *entry = <nd_hash_entry *> attribute
    length[0] = entry.length
    if entry.length <= ND_HASH_SHORT_SIZE:
        return entry.u.short_str
    return entry.u.long_str


cdef inline bint named(const unsigned char *name, size_t length, bytes wanted):
    return length == len(wanted) and memcmp(name, <const char *> wanted, length) == 0


cdef struct Attributes:
    # the attributes the rules read (NULL: absent), and whether there are any at all
    bint any
    nd_attr *cls
    nd_attr *ident
    nd_attr *role
    nd_attr *itemprop
    nd_attr *style
    nd_attr *hidden
    nd_attr *aria_hidden
    nd_attr *href


cdef inline void read_attributes(nd_attr *attr, Attributes *found):
    cdef uintptr_t name_id
    cdef const unsigned char *name
    cdef size_t length
    found.any = attr is not NULL
    found.cls = found.ident = found.role = found.itemprop = NULL
    found.style = found.hidden = found.aria_hidden = found.href = NULL
    while attr is not NULL:
        name_id = attr.qualified_name if attr.qualified_name else attr.node.local_name
        if name_id == class_id:
            found.cls = attr
        elif name_id == id_id:
            found.ident = attr
        elif name_id == href_id:
            found.href = attr
        elif name_id == style_id:
            found.style = attr
        elif name_id >= LOWEST_ADDRESS:  # a name lexbor does not know
            name = dynamic_name(name_id, &length)
            if named(name, length, b"role"):
                found.role = attr
            elif named(name, length, b"itemprop"):
                found.itemprop = attr
            elif named(name, length, b"hidden"):
                found.hidden = attr
            elif named(name, length, b"aria-hidden"):
                found.aria_hidden = attr
        attr = attr.next


cdef inline str value(nd_attr *attr):
    """An attribute's value as selectolax reads it (None: no value)."""
    if attr.value is NULL:
        return None
    return decode(attr.value.data, attr.value.length)


cdef inline void put(dict attrs, str name, nd_attr *attr):
    """``attrs[name]``, as the Python walk's attribute dict holds it, where ``attr`` is there."""
    if attr is not NULL:
        attrs[name] = value(attr)


cdef inline dict hint_attributes(Attributes *found):
    """What the class/id hint reads (dom._hint), as the Python walk's attribute dict."""
    attrs = {}
    put(attrs, "itemprop", found.itemprop)
    put(attrs, "class", found.cls)
    put(attrs, "id", found.ident)
    put(attrs, "role", found.role)
    return attrs


cdef inline bint hides(Attributes *found) except -1:
    """dom._hidden_by_attributes on the attributes read."""
    if found.style is NULL and found.hidden is NULL and found.aria_hidden is NULL:
        return False
    attrs = {}
    put(attrs, "hidden", found.hidden)
    put(attrs, "aria-hidden", found.aria_hidden)
    put(attrs, "style", found.style)
    return hidden_by_attributes(attrs)


def segment(tree, root, str root_tag):
    """The elements, blocks and links under ``root`` (a LexborNode of ``tree``) and what
    each element's class/id hint reads: dom._walk's answer, walked in C."""
    cdef list elements = [Element_(0, -1, root_tag, 0, 0, False)]
    cdef list blocks = []
    cdef list links = []
    cdef list hinted = [None]
    cdef list owners = [0]
    cdef list parts = []
    cdef Py_ssize_t link_depth = 0, link_chars = 0
    cdef bint wide = False  # the parts hold a character from U+3000 up (maybe CJK)
    # the open elements: their kinds and the siblings the walk resumes from
    cdef nd_node *resume[4096]
    cdef unsigned char open_kinds[4096]
    cdef list deeper_resume = []  # beyond 4096 open elements (pages deeper than that)
    cdef Py_ssize_t depth = 0
    cdef nd_node *node = (<nd_node *> <uintptr_t> root.mem_id).first_child
    cdef uintptr_t tag
    cdef unsigned char kind
    cdef nd_text *text_node
    cdef str text, href, classes
    cdef Attributes found
    cdef object hide
    cdef Py_ssize_t owner
    while True:
        while node is not NULL:
            tag = node.local_name
            if tag == text_id:
                text_node = <nd_text *> node
                if text_node.data.data is not NULL and text_node.data.length:
                    text = decode(text_node.data.data, text_node.data.length)
                    if not wide:
                        wide = nd_has_wide(text_node.data.data, text_node.data.length)
                    if text.isspace():
                        if parts:
                            parts.append(" ")
                    else:
                        parts.append(text)
                        if link_depth:
                            link_chars += len(text.strip())
                node = node.next
                continue
            if node.type != ND_ELEMENT:
                node = node.next
                continue
            kind = kinds[tag] if tag < TABLE else INLINE
            if kind == SKIP:
                node = node.next
                continue
            read_attributes((<nd_element *> node).first_attr, &found)
            if found.any:
                classes = value(found.cls) if found.cls is not NULL else None
                if classes:
                    hide = classes_hide_cache.get(classes)
                    if hide or (hide is None and remembered_classes_hide(classes)):
                        node = node.next
                        continue
                if hides(&found):
                    node = node.next
                    continue
            if kind == LINK:
                link_depth += 1
                parts.append(LINK_EDGE)
                href = value(found.href) if found.href is not NULL else None
                if href:
                    links.append((owners[-1], href))
            elif kind == BREAK:
                parts.append("\n")
                kind = INLINE
            elif kind == BLOCK or kind == HINTLESS_BLOCK:
                if parts:
                    link_chars = flush(parts, elements, blocks, owners[-1], link_chars, wide)
                    wide = False
                owner = owners[-1]
                parent = elements[owner]
                el = Element_(len(elements), owner, tag_names[tag], parent.depth + 1, 0, False)
                elements.append(el)
                hinted.append(
                    hint_attributes(&found) if found.any and kind == BLOCK else None
                )
                owners.append(el.index)
                kind = BLOCK
            if depth < 4096:
                resume[depth] = node.next
                open_kinds[depth] = kind
            else:
                deeper_resume.append((kind, <uintptr_t> node.next))
            depth += 1
            node = node.first_child
        if depth == 0:
            break
        depth -= 1
        if depth < 4096:
            kind = open_kinds[depth]
            node = resume[depth]
        else:
            kind, pointer = deeper_resume.pop()
            node = <nd_node *> <uintptr_t> pointer
        if kind == BLOCK:
            if parts:
                link_chars = flush(parts, elements, blocks, owners[-1], link_chars, wide)
                wide = False
            elements[owners.pop()].end = len(elements) - 1
        elif kind == LINK:
            link_depth -= 1
            parts.append(LINK_EDGE)
    if parts:
        flush(parts, elements, blocks, owners[-1], link_chars, wide)
    while owners:
        elements[owners.pop()].end = len(elements) - 1
    return elements, blocks, links, hinted


cdef Py_ssize_t flush(list parts, list elements, list blocks, Py_ssize_t owner,
                      Py_ssize_t link_chars, bint wide) except -1:
    """The Python walk's flush(): the parts as one block of ``owner`` (dom.add_block);
    returns 0. A block with no ``wide`` character holds no CJK: its links' edges go, and
    its weight is its length, with no pattern searched."""
    cdef str text = "".join(parts)
    if LINK_EDGE in text:
        text = finish_cjk(text) if wide else text.replace(LINK_EDGE, "")
    text = " ".join(text.split())
    parts.clear()
    if text:
        add_block(blocks, elements, owner, text, link_chars, 0 if wide else len(text))
    return 0


def without_script_text(bytes data):
    """``data`` (a page's bytes) without the text of its scripts and styles, their tags
    kept; JSON-LD kept. None where it holds none to leave out, or where the tokenizer could
    end a script elsewhere (see nd_without_script_text). Half a page's bytes are such text,
    which lexbor's tokenizer reads byte by byte and nothing reads once it is in the tree
    (the walk skips scripts and styles, the metadata reads JSON-LD only)."""
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data), written
    cdef bytes out = PyBytes_FromStringAndSize(NULL, n)
    written = nd_without_script_text(
        <const unsigned char *> PyBytes_AS_STRING(data), <size_t> n,
        <unsigned char *> PyBytes_AS_STRING(out)
    )
    if written < 0:
        return None
    return out[:written]


def utf8_read(bytes data, size_t limit):
    """(controls, counted) where ``data`` is UTF-8 as ``data.decode("utf-8")`` takes it,
    else None: of its first ``limit`` characters (``counted``: fewer in a shorter text),
    how many are control characters no text holds or U+FFFD. A page read as UTF-8 is then
    decoded only where its text is read: the parser takes its bytes."""
    cdef size_t controls = 0, counted = 0
    if not nd_utf8_read(
        <const unsigned char *> PyBytes_AS_STRING(data), <size_t> PyBytes_GET_SIZE(data),
        limit, &controls, &counted
    ):
        return None
    return controls, counted


def count_byte(bytes data, unsigned char byte):
    """How many times ``byte`` is in ``data``: bytes.count's answer, counted with vector
    instructions (bytes.count checks a limit at every match, 0.75 ns a byte: on 250 kB
    pages, a twentieth of a page's extraction time)."""
    return nd_count_byte(
        <const unsigned char *> PyBytes_AS_STRING(data), <size_t> PyBytes_GET_SIZE(data), byte
    )


def attribute_words(uintptr_t root, tuple pairs):
    """Which of ``pairs`` some element at or under ``root`` (a LexborNode's ``mem_id``)
    has: each pair is (the attribute's id where lexbor knows its name, else 0; its name;
    a word), names and words lower-case ASCII bytes, 1 to 64 pairs, at most 8 names
    lexbor does not know. Bit i is set where an element's attribute of pair i's name
    holds its word, ASCII case ignored: a CSS selector ``[name*="word" i]`` (or
    ``[name="word"]``) finds nothing where the bit is 0. One pass, no selector engine: a
    fraction of a CSS query's time."""
    cdef Py_ssize_t count = len(pairs), k, d, unknown = 0
    if not 0 < count <= 64:
        raise ValueError("1 to 64 pairs")
    cdef uint64_t by_known_id[KNOWN_IDS]  # the pairs of each name lexbor knows, by its id
    cdef const unsigned char *unknown_names[8]  # the other names, and their pairs
    cdef size_t unknown_lengths[8]
    cdef uint64_t by_unknown[8]
    cdef const unsigned char *starts[64]
    cdef size_t lengths[64]
    cdef uint64_t first[256]
    cdef uint64_t wanted = (<uint64_t> 1 << count) - 1 if count < 64 else ~(<uint64_t> 0)
    cdef uint64_t found = 0, eligible, bit
    cdef uintptr_t known
    cdef bytes word, name
    kept = list(pairs)  # the bytes the pointers point into live as long as this
    for k in range(256):
        first[k] = 0
    for k in range(KNOWN_IDS):
        by_known_id[k] = 0
    for k in range(count):
        known, name, word = kept[k]
        if not word or word.lower() != word or not word.isascii() or name.lower() != name:
            raise ValueError(f"not a lower-case ASCII name and word: {kept[k]!r}")
        bit = <uint64_t> 1 << k
        starts[k] = word
        lengths[k] = len(word)
        first[starts[k][0]] |= bit
        if known:
            if known >= KNOWN_IDS:
                raise ValueError(f"not an id of a name lexbor knows: {known}")
            by_known_id[known] |= bit
            continue
        for d in range(unknown):
            if unknown_lengths[d] == <size_t> len(name) and memcmp(
                unknown_names[d], <const char *> name, len(name)
            ) == 0:
                by_unknown[d] |= bit
                break
        else:
            if unknown == 8:
                raise ValueError("more than 8 names lexbor does not know")
            unknown_names[unknown] = name
            unknown_lengths[unknown] = len(name)
            by_unknown[unknown] = bit
            unknown += 1
    if not ready:
        raise RuntimeError("the compiled walk is not set up")
    cdef nd_node *start = <nd_node *> root
    cdef nd_node *node = start
    cdef nd_attr *attr
    cdef uintptr_t name_id
    cdef const unsigned char *dynamic
    cdef size_t dynamic_length
    while node is not NULL:
        if node.type == ND_ELEMENT:
            attr = (<nd_element *> node).first_attr
            while attr is not NULL:
                if attr.value is not NULL:
                    name_id = attr.qualified_name if attr.qualified_name else attr.node.local_name
                    eligible = 0
                    if name_id < KNOWN_IDS:
                        eligible = by_known_id[name_id]
                    elif name_id >= LOWEST_ADDRESS and unknown:  # a name lexbor does not know
                        dynamic = dynamic_name(name_id, &dynamic_length)
                        for d in range(unknown):
                            if dynamic_length == unknown_lengths[d] and memcmp(
                                dynamic, unknown_names[d], dynamic_length
                            ) == 0:
                                eligible = by_unknown[d]
                                break
                    eligible &= ~found
                    if eligible:
                        found |= eligible & nd_words_in(
                            attr.value.data, attr.value.length, starts, lengths, first,
                            ~eligible
                        )
                        if found == wanted:
                            return found
                attr = attr.next
        # the next node in document order, within ``start``
        if node.first_child is not NULL:
            node = node.first_child
            continue
        while node is not start and node.next is NULL:
            node = node.parent
        if node is start:
            break
        node = node.next
    return found


cdef class ClassWords:
    """dom.py's class-word rules, matched in C on ASCII text: each rule is (word, bit,
    left, right, unless, then) as ``nd_class_rule`` reads them (words and the two
    followers as bytes). ``names`` and ``text`` answer -1 for text that is not ASCII,
    which the rules' regular expressions read instead."""

    cdef nd_class_rule *rules
    cdef int *next_rule
    cdef int first[256]
    cdef list kept  # the bytes the rules point into

    def __cinit__(self, rules):
        cdef Py_ssize_t k, count = len(rules)
        cdef bytes word
        self.kept = [tuple(rule) for rule in rules]
        self.rules = <nd_class_rule *> PyMem_Malloc(max(count, 1) * sizeof(nd_class_rule))
        self.next_rule = <int *> PyMem_Malloc(max(count, 1) * sizeof(int))
        if self.rules is NULL or self.next_rule is NULL:
            raise MemoryError()
        for k in range(256):
            self.first[k] = -1
        for k in reversed(range(count)):
            word, bit, left, right, unless, then = self.kept[k]
            if not word or not word.isascii():
                raise ValueError(f"not an ASCII word: {word!r}")
            self.rules[k].word = word
            self.rules[k].length = len(word)
            self.rules[k].bit = bit
            self.rules[k].left = left
            self.rules[k].right = right
            self.rules[k].unless = unless
            self.rules[k].unless_length = len(unless)
            self.rules[k].then = then
            self.rules[k].then_length = len(then)
            self.next_rule[k] = self.first[word[0]]
            self.first[word[0]] = k

    def __dealloc__(self):
        PyMem_Free(self.rules)
        PyMem_Free(self.next_rule)

    def names(self, str names):
        """The bits of every whitespace-separated class word of ``names``, each read
        lower-cased and without digits; -1 where ``names`` is not ASCII."""
        cdef Py_ssize_t n
        cdef const char *data
        if not names.isascii():
            return -1
        data = PyUnicode_AsUTF8AndSize(names, &n)
        buffer = PyMem_Malloc(max(n, 1))
        if buffer is NULL:
            raise MemoryError()
        try:
            return nd_names_flags(
                <const unsigned char *> data, n, <unsigned char *> buffer, self.rules,
                self.first, self.next_rule
            )
        finally:
            PyMem_Free(buffer)

    def text(self, str text):
        """The bits of the rules found in ``text`` as written; -1 where it is not ASCII."""
        cdef Py_ssize_t n
        cdef const char *data
        if not text.isascii():
            return -1
        data = PyUnicode_AsUTF8AndSize(text, &n)
        return nd_class_flags(
            <const unsigned char *> data, n, self.rules, self.first, self.next_rule
        )
