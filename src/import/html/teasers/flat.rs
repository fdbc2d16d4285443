//! The page flattened into one array in document order, with what the
//! teaser search asks of every node (its tag, what its class and id say,
//! how much text it holds), so that the search never walks the tree twice.

use super::hints::{Hint, attribute_hints};
use dom_query::{Document, NodeData, NodeId, NodeRef};

/// The few tags the search tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Anchor,
    Image,
    Time,
    Caption,
    Paragraph,
    Heading,
    Nav,
    Footer,
    Quote,
    Body,
    Text,
    Other,
}

/// One element or text node of the page.
pub(super) struct FlatNode {
    pub id: NodeId,
    /// Index of the parent in [`Flat::nodes`] (`NONE` for the root).
    pub parent: u32,
    /// One past the last descendant: the subtree is `index..end`.
    pub end: u32,
    pub tag: Tag,
    /// What the element's own class, id and labels say.
    pub hints: Hint,
    /// Characters of visible text in the subtree.
    pub text_len: u32,
    /// Characters of visible text inside links in the subtree.
    pub link_text_len: u32,
    /// For text nodes, the range of their text in [`Flat::text`].
    pub text: (u32, u32),
}

pub(super) const NONE: u32 = u32::MAX;

/// The flattened page.
pub(super) struct Flat {
    pub nodes: Vec<FlatNode>,
    /// The text of all text nodes, one after the other.
    pub text: String,
}

/// Elements whose content is never shown as text.
fn is_hidden_tag(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "noscript" | "svg" | "head" | "select" | "button"
    )
}

fn tag_of(name: &str) -> Tag {
    match name {
        "a" => Tag::Anchor,
        "img" => Tag::Image,
        "time" => Tag::Time,
        "figcaption" => Tag::Caption,
        "p" => Tag::Paragraph,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
        "nav" => Tag::Nav,
        "footer" => Tag::Footer,
        "blockquote" => Tag::Quote,
        "body" => Tag::Body,
        _ => Tag::Other,
    }
}

impl Flat {
    /// Flattens `document`: one iterative walk (no recursion, so any depth
    /// of nesting is safe), then one backward pass for the text lengths.
    pub fn new(document: &Document) -> Flat {
        let tree = &document.tree;
        let mut nodes: Vec<FlatNode> = Vec::new();
        let mut text = String::new();
        // (node, index of its parent in `nodes`)
        let mut stack: Vec<(NodeId, u32)> = vec![(document.root().id, NONE)];
        while let Some((id, parent)) = stack.pop() {
            let node = NodeRef::new(id, tree);
            let index = nodes.len() as u32;
            let visit = node.query(|tree_node| {
                let (tag, hints) = match &tree_node.data {
                    NodeData::Element(element) => {
                        let name: &str = &element.name.local;
                        if is_hidden_tag(name) {
                            return None;
                        }
                        let hints = attribute_hints(
                            element
                                .attrs
                                .iter()
                                .filter(|attr| is_hint_attribute(&attr.name.local))
                                .map(|attr| &*attr.value),
                        );
                        (tag_of(name), hints)
                    }
                    NodeData::Text { contents } => {
                        let start = text.len() as u32;
                        text.push_str(contents);
                        return Some((
                            Tag::Text,
                            Hint::empty(),
                            (start, text.len() as u32),
                            tree_node.first_child,
                        ));
                    }
                    NodeData::Document | NodeData::Fragment => (Tag::Other, Hint::empty()),
                    _ => return None,
                };
                Some((tag, hints, (0, 0), tree_node.first_child))
            });
            let Some(Some((tag, hints, text_range, first_child))) = visit else {
                continue;
            };
            nodes.push(FlatNode {
                id,
                parent,
                end: index + 1,
                tag,
                hints,
                text_len: 0,
                link_text_len: 0,
                text: text_range,
            });
            // Children go on the stack reversed, so they come off in order.
            let first_pushed = stack.len();
            let mut child = first_child;
            while let Some(child_id) = child {
                stack.push((child_id, index));
                child = NodeRef::new(child_id, tree)
                    .query(|tree_node| tree_node.next_sibling)
                    .flatten();
            }
            stack[first_pushed..].reverse();
        }
        let mut flat = Flat { nodes, text };
        flat.measure();
        flat
    }

    /// Subtree ends and text lengths, children before parents.
    fn measure(&mut self) {
        for index in (0..self.nodes.len()).rev() {
            let node = &self.nodes[index];
            let (start, end) = node.text;
            let own = if node.tag == Tag::Text {
                self.text[start as usize..end as usize]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count() as u32
            } else {
                0
            };
            let node = &mut self.nodes[index];
            node.text_len += own;
            if node.tag == Tag::Anchor {
                node.link_text_len = node.text_len;
            }
            let (parent, end, text_len, link_text_len) =
                (node.parent, node.end, node.text_len, node.link_text_len);
            if parent != NONE {
                let parent = &mut self.nodes[parent as usize];
                parent.end = parent.end.max(end);
                parent.text_len += text_len;
                parent.link_text_len += link_text_len;
            }
        }
    }

    /// The visible text of the subtree at `index`, whitespace collapsed.
    pub fn text_of(&self, index: usize) -> String {
        let mut out = String::new();
        for node in &self.nodes[index..self.nodes[index].end as usize] {
            if node.tag == Tag::Text {
                let (start, end) = node.text;
                for word in self.text[start as usize..end as usize].split_whitespace() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
            }
        }
        out
    }

    /// The ancestors of `index`, nearest first, at most `limit` of them.
    pub fn ancestors(&self, index: usize, limit: usize) -> impl Iterator<Item = usize> + '_ {
        let mut current = self.nodes[index].parent;
        std::iter::from_fn(move || {
            (current != NONE).then(|| {
                let found = current as usize;
                current = self.nodes[found].parent;
                found
            })
        })
        .take(limit)
    }

    /// An attribute of the element at `index`.
    pub fn attr(&self, document: &Document, index: usize, name: &str) -> Option<String> {
        NodeRef::new(self.nodes[index].id, &document.tree).attr(name).map(|value| value.to_string())
    }
}

/// The attributes whose words say what a box is for.
fn is_hint_attribute(name: &str) -> bool {
    matches!(
        name,
        "class" | "id" | "aria-label" | "role" | "data-module" | "data-component" | "data-testid"
    )
}
