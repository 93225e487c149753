# The Python package agglo: the extension _agglo (python/src/module.cpp) plus the pure-Python
# files, assembled in ${AGGLO_PY_DIR} = build/python/agglo, with type stubs generated from
# the registry by python/tools/make_stubs.py.
set(AGGLO_PY_DIR ${CMAKE_BINARY_DIR}/python/agglo)
pybind11_add_module(agglo_python MODULE python/src/module.cpp)
set_target_properties(agglo_python PROPERTIES OUTPUT_NAME _agglo LIBRARY_OUTPUT_DIRECTORY ${AGGLO_PY_DIR})
target_link_libraries(agglo_python PRIVATE agglo_engine)
if(AGGLO_WITH_GDAL)
  target_link_libraries(agglo_python PRIVATE GDAL::GDAL)  # GDAL's /vsimem/ for GeoDataFrames
endif()

set(AGGLO_PY_SOURCES
  python/agglo/__init__.py
  python/agglo/_api.py
  python/agglo/_convert.py
  python/agglo/_errors.py
  python/agglo/_result.py
  python/agglo/py.typed
)
set(AGGLO_PY_OUTPUTS)
foreach(f ${AGGLO_PY_SOURCES})
  get_filename_component(n ${f} NAME)
  add_custom_command(OUTPUT ${AGGLO_PY_DIR}/${n}
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different ${CMAKE_SOURCE_DIR}/${f} ${AGGLO_PY_DIR}/${n}
                     DEPENDS ${CMAKE_SOURCE_DIR}/${f} COMMENT "python: ${n}")
  list(APPEND AGGLO_PY_OUTPUTS ${AGGLO_PY_DIR}/${n})
endforeach()
add_custom_target(agglo_python_files ALL DEPENDS ${AGGLO_PY_OUTPUTS})
add_dependencies(agglo_python agglo_python_files)

# Stubs (.pyi) so that editors complete every operation's keyword arguments.
add_custom_command(OUTPUT ${AGGLO_PY_DIR}/__init__.pyi
                   COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${CMAKE_BINARY_DIR}/python AGGLO_DATA_DIR=${CMAKE_SOURCE_DIR}/data
                           ${Python_EXECUTABLE} ${CMAKE_SOURCE_DIR}/python/tools/make_stubs.py ${AGGLO_PY_DIR}
                   DEPENDS agglo_python ${AGGLO_PY_OUTPUTS} ${CMAKE_SOURCE_DIR}/python/tools/make_stubs.py
                   COMMENT "python: type stubs from the registry")
add_custom_target(agglo_python_stubs ALL DEPENDS ${AGGLO_PY_DIR}/__init__.pyi)

if(AGGLO_BUILD_TESTS)
  # pytest (Debian python3-pytest) on the built package: tests/python/.
  add_test(NAME python_module
           COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${CMAKE_BINARY_DIR}/python AGGLO_BIN=$<TARGET_FILE:agglo>
                   AGGLO_SOURCE=${CMAKE_SOURCE_DIR}
                   ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${CMAKE_SOURCE_DIR}/tests/python)
  # `pip install --no-build-isolation .` into a --system-site-packages venv, offline, reusing
  # this build (so it only packages it).
  add_test(NAME python_pip_install
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/python/pip_install.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} $<TARGET_FILE:agglo>)
  set_tests_properties(python_pip_install PROPERTIES TIMEOUT 600)
endif()
