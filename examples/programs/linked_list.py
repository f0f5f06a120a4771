# A singly linked list of nodes: push, reverse in place, length, search, removal; None as the
# end marker, attributes rewired in loops.
# argv: [nodes]
import sys


class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next


class LinkedList:
    def __init__(self):
        self.head = None
        self.size = 0

    def push(self, value):
        self.head = Node(value, self.head)
        self.size += 1

    def reverse(self):
        prev = None
        node = self.head
        while node is not None:
            nxt = node.next
            node.next = prev
            prev = node
            node = nxt
        self.head = prev

    def to_list(self):
        out = []
        node = self.head
        while node is not None:
            out.append(node.value)
            node = node.next
        return out

    def find(self, value):
        node = self.head
        index = 0
        while node is not None:
            if node.value == value:
                return index
            node = node.next
            index += 1
        return -1

    def remove(self, value):
        if self.head is None:
            return False
        if self.head.value == value:
            self.head = self.head.next
            self.size -= 1
            return True
        node = self.head
        while node.next is not None:
            if node.next.value == value:
                node.next = node.next.next
                self.size -= 1
                return True
            node = node.next
        return False


ll = LinkedList()
for k in range(10):
    ll.push(k * 3)
print(ll.to_list(), ll.size)
ll.reverse()
print(ll.to_list())
print(ll.find(9), ll.find(10), ll.remove(0), ll.remove(27), ll.remove(100), ll.size)
print(ll.to_list())
big = LinkedList()
nodes = 3000
if len(sys.argv) > 1:
    nodes = int(sys.argv[1])
for k in range(nodes):
    big.push(k)
big.reverse()
total = 0
node = big.head
while node is not None:
    total += node.value
    node = node.next
print(total, big.find(nodes - 1))
