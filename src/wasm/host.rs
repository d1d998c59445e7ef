//! Running a policy module under wasmtime: validation on load (a foreign or
//! malformed module is refused), then every evaluation in a sandbox with a fuel
//! budget and a memory cap. One engine serves the whole process.

use std::sync::OnceLock;

use wasmtime::{
    Config, Engine, ExternType, Instance, Memory, Module, ResourceLimiter, Store, StoreLimits,
    StoreLimitsBuilder, Trap, TypedFunc, ValType,
};

use super::{ABI_VERSION, META_SECTION, WasmError};

/// Sandbox limits for one evaluation.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// WebAssembly fuel (roughly one unit per instruction) per evaluation.
    pub fuel: u64,
    /// Largest linear memory, in bytes.
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 10_000_000_000,
            memory: 1 << 30,
        }
    }
}

/// What the module's `juris.meta` section says.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct ModuleMeta {
    /// The ABI version the module speaks.
    pub abi: serde_json::Value,
    /// The juris version that compiled the module.
    #[serde(default)]
    pub juris: String,
    /// The date used when the input has no `today`.
    #[serde(default)]
    pub default_today: String,
    /// The rules' metadata, in id order.
    #[serde(default)]
    pub rules: Vec<serde_json::Value>,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::new();
        config.consume_fuel(true);
        // Wasmtime's inliner would make evaluation about a third faster but
        // compiling a module five times slower (about 1 s): a CLI run loads a
        // module once, so loading wins.
        Engine::new(&config).unwrap_or_else(|_| Engine::default())
    })
}

/// A loaded, validated policy module.
pub struct WasmPolicy {
    module: Module,
    limits: Limits,
    meta: ModuleMeta,
}

impl WasmPolicy {
    /// Validate and compile module bytes (from [`compile`](super::compile)).
    pub fn load(bytes: &[u8], limits: Limits) -> Result<WasmPolicy, WasmError> {
        let meta = read_meta(bytes)?;
        let module = Module::new(engine(), bytes).map_err(|e| WasmError::InvalidModule {
            reason: first_line(&e),
        })?;
        if let Some(i) = module.imports().next() {
            return Err(WasmError::ForeignModule {
                reason: format!("it imports `{}::{}`", i.module(), i.name()),
            });
        }
        let i32_ = || ValType::I32;
        let wanted: [(&str, Vec<ValType>, Vec<ValType>); 4] = [
            ("juris_alloc", vec![i32_()], vec![i32_()]),
            ("juris_eval", vec![i32_(), i32_()], vec![i32_()]),
            ("juris_result_ptr", vec![], vec![i32_()]),
            ("juris_result_len", vec![], vec![i32_()]),
        ];
        for (name, params, results) in wanted {
            let ok = match module.get_export(name) {
                Some(ExternType::Func(f)) => {
                    f.params()
                        .map(|p| p.to_string())
                        .eq(params.iter().map(|p| p.to_string()))
                        && f.results()
                            .map(|r| r.to_string())
                            .eq(results.iter().map(|r| r.to_string()))
                }
                _ => false,
            };
            if !ok {
                return Err(WasmError::ForeignModule {
                    reason: format!("it does not export the function `{name}` of the juris ABI"),
                });
            }
        }
        if !matches!(module.get_export("memory"), Some(ExternType::Memory(_))) {
            return Err(WasmError::ForeignModule {
                reason: "it does not export its `memory`".into(),
            });
        }
        Ok(WasmPolicy {
            module,
            limits,
            meta,
        })
    }

    /// The module's metadata (ABI version, rules).
    pub fn meta(&self) -> &ModuleMeta {
        &self.meta
    }

    /// The limits each call runs under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Evaluate an inventory document in a fresh instance: the report JSON
    /// (what `juris check --format json` prints, with its final newline).
    pub fn evaluate(&self, inventory_json: &[u8]) -> Result<String, WasmError> {
        self.instantiate()?.evaluate(inventory_json)
    }

    /// An instance for several evaluations (each starts from a clean state).
    pub fn instantiate(&self) -> Result<WasmInstance, WasmError> {
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.limits.memory)
            .instances(1)
            .tables(1)
            .build();
        let mut store = Store::new(
            engine(),
            Limiter {
                inner: limits,
                hit: false,
            },
        );
        store.limiter(|l| l);
        let host = |e: wasmtime::Error| WasmError::Host {
            reason: first_line(&e),
        };
        store.set_fuel(self.limits.fuel).map_err(host)?;
        let instance = Instance::new(&mut store, &self.module, &[]).map_err(|e| {
            if store.data().hit {
                WasmError::OutOfMemory {
                    bytes: self.limits.memory,
                }
            } else {
                host(e)
            }
        })?;
        let memory =
            instance
                .get_memory(&mut store, "memory")
                .ok_or_else(|| WasmError::ForeignModule {
                    reason: "it does not export its `memory`".into(),
                })?;
        let f = |store: &mut Store<Limiter>, name: &str| {
            instance
                .get_typed_func::<(), i32>(store, name)
                .map_err(host)
        };
        let result_ptr = f(&mut store, "juris_result_ptr")?;
        let result_len = f(&mut store, "juris_result_len")?;
        let alloc = instance
            .get_typed_func::<i32, i32>(&mut store, "juris_alloc")
            .map_err(host)?;
        let eval = instance
            .get_typed_func::<(i32, i32), i32>(&mut store, "juris_eval")
            .map_err(host)?;
        Ok(WasmInstance {
            store,
            memory,
            alloc,
            eval,
            result_ptr,
            result_len,
            limits: self.limits,
        })
    }
}

/// An instantiated module; the fuel budget is refilled for every evaluation.
pub struct WasmInstance {
    store: Store<Limiter>,
    memory: Memory,
    alloc: TypedFunc<i32, i32>,
    eval: TypedFunc<(i32, i32), i32>,
    result_ptr: TypedFunc<(), i32>,
    result_len: TypedFunc<(), i32>,
    limits: Limits,
}

impl WasmInstance {
    /// Evaluate an inventory document through the module's ABI.
    pub fn evaluate(&mut self, inventory_json: &[u8]) -> Result<String, WasmError> {
        let len = i32::try_from(inventory_json.len()).map_err(|_| WasmError::Host {
            reason: "the input is larger than 2 GiB".into(),
        })?;
        self.store
            .set_fuel(self.limits.fuel)
            .map_err(|e| WasmError::Host {
                reason: first_line(&e),
            })?;
        self.store.data_mut().hit = false;
        let ptr = self
            .alloc
            .call(&mut self.store, len)
            .map_err(|e| self.trap(e))?;
        if ptr == 0 {
            return Err(WasmError::OutOfMemory {
                bytes: self.limits.memory,
            });
        }
        self.memory
            .write(&mut self.store, ptr as usize, inventory_json)
            .map_err(|e| WasmError::Host {
                reason: e.to_string(),
            })?;
        let code = self
            .eval
            .call(&mut self.store, (ptr, len))
            .map_err(|e| self.trap(e))?;
        let out = self.result()?;
        if code == 0 {
            return Ok(out);
        }
        let message = serde_json::from_str::<serde_json::Value>(&out)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or(out);
        Err(WasmError::Rejected { code, message })
    }

    fn result(&mut self) -> Result<String, WasmError> {
        let host = |e: wasmtime::Error| WasmError::Host {
            reason: first_line(&e),
        };
        let ptr = self.result_ptr.call(&mut self.store, ()).map_err(host)? as u32 as usize;
        let len = self.result_len.call(&mut self.store, ()).map_err(host)? as u32 as usize;
        let data = self.memory.data(&self.store);
        let bytes = ptr
            .checked_add(len)
            .and_then(|end| data.get(ptr..end))
            .ok_or_else(|| WasmError::Host {
                reason: "the module's result lies outside its memory".into(),
            })?;
        String::from_utf8(bytes.to_vec()).map_err(|_| WasmError::Host {
            reason: "the module's result is not UTF-8".into(),
        })
    }

    fn trap(&self, e: wasmtime::Error) -> WasmError {
        if let Some(Trap::OutOfFuel) = e.downcast_ref::<Trap>() {
            return WasmError::OutOfFuel {
                fuel: self.limits.fuel,
            };
        }
        if self.store.data().hit {
            return WasmError::OutOfMemory {
                bytes: self.limits.memory,
            };
        }
        let trap = e
            .downcast_ref::<Trap>()
            .map(|t| t.to_string())
            .unwrap_or_else(|| first_line(&e));
        let frames = e
            .downcast_ref::<wasmtime::WasmBacktrace>()
            .map(|b| {
                b.frames()
                    .iter()
                    .filter_map(|f| f.func_name().map(str::to_owned))
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" < ")
            })
            .unwrap_or_default();
        WasmError::Trap {
            reason: if frames.is_empty() {
                trap
            } else {
                format!("{trap} (in {frames})")
            },
        }
    }
}

/// `StoreLimits`, remembering whether a growth was refused.
struct Limiter {
    inner: StoreLimits,
    hit: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = self.inner.memory_growing(current, desired, maximum)?;
        if !ok {
            self.hit = true;
        }
        Ok(ok)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.inner.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.inner.instances()
    }

    fn tables(&self) -> usize {
        self.inner.tables()
    }

    fn memories(&self) -> usize {
        self.inner.memories()
    }
}

/// Find and check `juris.meta` before compiling anything.
fn read_meta(bytes: &[u8]) -> Result<ModuleMeta, WasmError> {
    let mut found = None;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| WasmError::InvalidModule {
            reason: e.to_string(),
        })?;
        if let wasmparser::Payload::CustomSection(c) = payload
            && c.name() == META_SECTION
        {
            found = Some(c.data().to_vec());
        }
    }
    let data = found.ok_or_else(|| WasmError::ForeignModule {
        reason: format!("it has no `{META_SECTION}` custom section"),
    })?;
    let meta: ModuleMeta = serde_json::from_slice(&data).map_err(|e| WasmError::ForeignModule {
        reason: format!("its `{META_SECTION}` section is not valid: {e}"),
    })?;
    if meta.abi.as_u64() != Some(ABI_VERSION as u64) {
        return Err(WasmError::AbiVersion {
            found: meta.abi.to_string(),
            expected: ABI_VERSION,
        });
    }
    Ok(meta)
}

fn first_line(e: &wasmtime::Error) -> String {
    format!("{e:#}")
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}
