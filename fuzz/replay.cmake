# The test suite replays every committed corpus: for each fuzz/fuzz_<target>.c, a program
# replay_<target> (the target's entry point driven by fuzz/replay.c, built with the regular
# compiler and flags, so under ASan/UBSan in the sanitizer build) and a test
# fuzz/replay_<target> that runs it over fuzz/corpus/<target>. Included from tests/.
# (With LINEAGE_BUILD_FUZZ the library is built for libFuzzer; tests/fuzz/test_fuzz_smoke.sh
# runs the real fuzzers instead.)
if(NOT LINEAGE_BUILD_FUZZ)
  file(GLOB LINEAGE_FUZZ_TARGETS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/fuzz_*.c)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/targets.txt)
  file(STRINGS ${PROJECT_SOURCE_DIR}/fuzz/targets.txt LINEAGE_FUZZ_TABLE REGEX "^[a-z0-9_]+ ")
  foreach(src ${LINEAGE_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" target ${name})
    set(line ${LINEAGE_FUZZ_TABLE})
    list(FILTER line INCLUDE REGEX "^${target} ")
    if(NOT line)
      message(FATAL_ERROR "fuzz/${name}.c has no line in fuzz/targets.txt: add one (its "
        "largest input, dictionaries and seed folders) so scripts/fuzz.sh can run it")
    endif()
    add_executable(replay_${target} ${src} ${PROJECT_SOURCE_DIR}/fuzz/replay.c)
    target_link_libraries(replay_${target} PRIVATE lineage_static)
    target_include_directories(replay_${target} PRIVATE ${PROJECT_SOURCE_DIR}/lib)
    set_target_properties(replay_${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME fuzz/replay_${target}
      COMMAND replay_${target} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${target})
    set_tests_properties(fuzz/replay_${target} PROPERTIES TIMEOUT 900)
  endforeach()
endif()
