"""The `build` command: parse options, run the pipeline, report. No layout or drawing here."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from builder import __version__
from builder.errors import BuildError, ContentError
from builder.paths import find_project, shipped_dir
from builder.cache import run_key, unchanged_run
from builder.options import Options, Report


class _Group(click.Group):
    """Content and build errors end as one line and exit 1; --debug shows the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ContentError, BuildError) as err:
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(str(err), err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; the previous outputs are unchanged", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as err:  # a bug of ours: still one line, and a way to see more
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(f"internal error ({type(err).__name__}: {err}); this is a bug in karuta-press, not in "
                       "your content: run again with --debug and report what it prints", err=True)
            ctx.exit(1)


def _output_option(f):
    return click.option("--output", "--out-dir", "-o", "output", type=click.Path(file_okay=False, path_type=Path),
                        help="Folder for the built files (default: output/ in the project). "
                             "--out-dir is accepted as an alias.")(f)


def _press_option(f):
    return click.option("--press", "--bleed", "press", is_flag=True,
                        help="Print-shop output: PDF/X-1a (CMYK only, black text K100 overprinting), 3 mm "
                             "bleed, Japanese crop marks (トンボ), TrimBox and BleedBox, a slug line with file "
                             "name, page and date. Implies --cmyk. --bleed is accepted as an alias.")(f)


def _cmyk_option(f):
    return click.option("--cmyk", is_flag=True, help="Draw every colour in CMYK (the theme's CMYK mixes), e.g. for "
                                                   "an office colour laser; --press always does.")(f)


def _force_option(f):
    return click.option("--force", is_flag=True, help="Rebuild everything, ignoring the build cache.")(f)


def _jobs_option(f):
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                        help="Processes that render images in parallel (default: every core).")(f)


def _shared_options(f):
    """The options every building command takes, under one name each."""
    for option in (_force_option, _output_option, _cmyk_option, _press_option):
        f = option(f)
    return f


def _karuta_options(f):
    f = _jobs_option(f)
    f = click.option("--format", "formats", type=click.Choice(["pdf", "png", "all"]), default="pdf",
                     show_default=True, help="pdf: the print deck; png: images for social media; all: both.")(f)
    f = click.option("--preset", "presets", multiple=True, metavar="NAME",
                     help="Social-media image shape (repeatable): square (default), portrait, landscape, ogp, "
                          "or all. Sizes come from the theme.")(f)
    f = click.option("--backs", is_flag=True, help="Add card backs, mirrored for long-edge duplex printing.")(f)
    f = click.option("--vertical", is_flag=True, help="Set the reading cards in vertical writing (縦書き).")(f)
    return f


def _project(ctx: click.Context):
    return find_project(ctx.obj.get("project"))


def _options(**kwargs) -> Options:
    formats = kwargs.pop("formats", "pdf")
    presets = kwargs.pop("presets", ()) or ("square",)
    kwargs["cmyk"] = kwargs.get("cmyk", False) or kwargs.get("press", False)  # print shops take CMYK only
    return Options(formats=("pdf", "png") if formats == "all" else (formats,), presets=tuple(presets),
                   jobs=kwargs.pop("jobs", None) or os.cpu_count() or 1, **kwargs)


def _build(ctx: click.Context, kwargs: dict, targets: list[str]) -> None:
    """An unchanged rebuild answers before the renderers are even imported."""
    project, options = _project(ctx), _options(**kwargs)
    key = run_key(project, options, targets)
    unchanged = unchanged_run(project, options, key)
    if unchanged is not None:
        report = Report(unchanged=unchanged)
    else:
        from builder.pipeline import run

        report = run(project, options, targets, key)
    for line in report.lines():
        click.echo(line)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "-p", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Project folder holding content/ (default: the current folder).")
@click.option("--debug", is_flag=True, help="Show the full traceback when something goes wrong.")
@click.version_option(__version__, prog_name="karuta-press")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, debug: bool) -> None:
    """Build Japanese print and social-media material from the YAML in content/.

    \b
      build all                     everything, into output/
      build newsletter --press      the survey newsletter for a print shop
      build karuta --format all     the card deck PDF and the social-media images
      build check                   check the content without writing anything
    """
    ctx.ensure_object(dict)
    ctx.obj.update(project=project, debug=debug)


@cli.command()
@_shared_options
@click.pass_context
def newsletter(ctx: click.Context, **kwargs) -> None:
    """The survey newsletter: an A4 PDF in output/newsletter/."""
    _build(ctx, kwargs, ["newsletter"])


@cli.command()
@_karuta_options
@_shared_options
@click.option("--list", "list_only", is_flag=True, help="Print kana, slogan and topic of every card; build nothing.")
@click.pass_context
def karuta(ctx: click.Context, list_only: bool, **kwargs) -> None:
    """The 46-card security karuta: a cut-out print PDF and, with --format png, one image per card.

    Office mode (default) imposes the cards on A4 with cut guides; --press adds bleed and crop
    marks for a print shop, plus a one-card-per-page PDF. Files go to output/karuta/.
    """
    if list_only:
        from builder.pipeline import deck_listing

        for line in deck_listing(_project(ctx)):
            click.echo(line)
        return
    _build(ctx, kwargs, ["karuta"])


@cli.command(name="all")
@_karuta_options
@_shared_options
@click.pass_context
def build_all(ctx: click.Context, **kwargs) -> None:
    """Everything: the newsletter, the print deck and the card images.

    The deck comes as PDF and PNG unless --format says otherwise (--format pdf: no images)."""
    if ctx.get_parameter_source("formats") == click.core.ParameterSource.DEFAULT:
        kwargs["formats"] = "all"
    _build(ctx, kwargs, ["newsletter", "karuta"])


@cli.command()
@_jobs_option
@_force_option
@_output_option
@click.option("--serve", is_flag=True, help="Then preview the site on http://127.0.0.1:PORT/ and rebuild it "
                                            "whenever content/ changes (Ctrl-C stops).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port of the --serve preview (0: any free port).")
@click.pass_context
def site(ctx: click.Context, serve: bool, port: int, **kwargs) -> None:
    """A static web gallery of the deck in output/site/, to upload to any web host as it is.

    An index with the 46 picture cards, the play sheet and the print PDFs to download; one page
    per card with its slogan, explanation and share links; link previews (Open Graph, X cards)
    addressed from base_url in content/site.yaml, which must be set to where the site goes."""
    _build(ctx, kwargs, ["site"])
    if serve:
        from builder.site.serve import serve as preview

        preview(_project(ctx), _options(**kwargs), ["site"], port)


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check all content (schema, lengths, glyphs, fit, survey figures) without writing anything."""
    from builder.pipeline import check_all

    for line in check_all(_project(ctx)):
        click.echo(line)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a project in DIRECTORY with a copy of the shipped content and theme."""
    target = directory / "content"
    if target.exists():
        raise BuildError(f"{target} already exists; choose an empty folder or edit the content there")
    try:
        shutil.copytree(shipped_dir() / "content", target)
        (directory / "output").mkdir(exist_ok=True)
    except OSError as err:
        raise BuildError(f"cannot create {target} ({err.strerror}); choose a folder you can write to") from None
    click.echo(f"wrote {target}; now run: cd {directory} && build all")


def main() -> None:
    cli(prog_name="build")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
