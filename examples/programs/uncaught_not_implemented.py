# Figure-1 style abstract method: the base class raises NotImplementedError, subclasses
# override; calling it on the base ends the program with status 1.
class Animal:
    def __init__(self, name):
        self.name = name

    def sound(self):
        raise NotImplementedError("subclasses say " + self.name + "'s sound")

    def speak(self):
        return self.name + " says " + self.sound()


class Dog(Animal):
    def sound(self):
        return "woof"


class Puppy(Dog):
    def sound(self):
        return Dog.sound(self) + "!"


for a in [Dog("rex"), Puppy("bit")]:
    print(a.speak())
print(Animal("generic").speak())
