# Installation: headers, both libraries, pkg-config file and a CMake package.
include(CMakePackageConfigHelpers)

install(FILES ${LINEAGE_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lineage)
install(TARGETS lineage_shared lineage_static EXPORT lineageTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The pc file finds its prefix from its own location (${pcfiledir}), so that an install
# with `cmake --install BUILD --prefix DIR` (or a moved tree) gives the right paths.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(LINEAGE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(LINEAGE_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _lineage_pc_up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _lineage_pc_up "${_lineage_pc_up}")
  set(LINEAGE_PC_PREFIX "\${pcfiledir}/${_lineage_pc_up}")
  set(LINEAGE_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(LINEAGE_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(LINEAGE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/pkgconfig/lineage.pc.in ${CMAKE_BINARY_DIR}/lineage.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/lineage.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(EXPORT lineageTargets NAMESPACE lineage:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lineage)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lineageConfig.cmake.in
  ${CMAKE_BINARY_DIR}/lineageConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lineage)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/lineageConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/lineageConfig.cmake ${CMAKE_BINARY_DIR}/lineageConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lineage)

# The installed tool finds the library next to it (bin/../lib), wherever the prefix is.
if(TARGET lineage_cli)
  set_target_properties(lineage_cli PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
endif()
