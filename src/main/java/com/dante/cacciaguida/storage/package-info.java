/**
 * The storage contract (served on the event bus as a service proxy) and the backend interface behind it.
 */
@ModuleGen(name = "storage", groupPackage = "com.dante.cacciaguida")
package com.dante.cacciaguida.storage;

import io.vertx.codegen.annotations.ModuleGen;
