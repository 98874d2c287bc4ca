from helpers.grading.cli import main

main()
