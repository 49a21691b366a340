# Installation: headers, both libraries, pkg-config file and a CMake package.
include(CMakePackageConfigHelpers)

install(FILES ${LINEAGE_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lineage)
install(TARGETS lineage_shared lineage_static EXPORT lineageTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_file(${PROJECT_SOURCE_DIR}/pkgconfig/lineage.pc.in ${CMAKE_BINARY_DIR}/lineage.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/lineage.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(EXPORT lineageTargets NAMESPACE lineage:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lineage)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lineageConfig.cmake.in
  ${CMAKE_BINARY_DIR}/lineageConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lineage)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/lineageConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/lineageConfig.cmake ${CMAKE_BINARY_DIR}/lineageConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lineage)
