from storyworld.cli import main

main()
