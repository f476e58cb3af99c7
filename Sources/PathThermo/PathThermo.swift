/// PathThermo: one import for the whole pipeline.
@_exported import LinearAlgebra
@_exported import ArrayIO
@_exported import Thermodynamics
@_exported import Stochastics
@_exported import Dynamics
@_exported import Estimators
@_exported import WorldModel
@_exported import PathSpace
@_exported import FokkerPlanck
@_exported import SpinModels
@_exported import Autoregressive
@_exported import LanguageModel
@_exported import Experiments
@_exported import ResourceLimits
@_exported import Parallel
