"""A helper script that happens to sit in the dags folder."""
import os
import sys


def main(argv):
    for name in os.listdir(argv[1]):
        print(name)


if __name__ == "__main__":
    main(sys.argv)
